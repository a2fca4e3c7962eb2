// Reading the registry's two files: `.gto` (allowed stages and types) and the
// `artifacts:` section of `dvc.yaml` (type, path, description).

import { parse } from 'yaml'
import { z } from 'zod'
import { isValidStage } from '../core/names.js'

export interface GtoConfig {
  /** Undefined when any valid stage name may be assigned. */
  stages?: string[]
  types?: string[]
}

const nameList = z
  .array(z.string().refine(isValidStage, { message: 'not a valid name' }))
  .nullish()

// GTO's other settings (matched regardless of case, as GTO does): allowed,
// and of no concern to tags.
const GTO_SETTINGS = [
  'index',
  'config_file_name',
  'log_level',
  'debug',
  'emojis',
  'enrichments',
  'autoload_enrichments'
]

const gtoSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((raw, ctx) => {
    const config: { stages?: unknown; types?: unknown } = {}
    for (const [key, value] of Object.entries(raw ?? {})) {
      const lower = key.toLowerCase()
      if (lower === 'stages' || lower === 'types') config[lower] = value
      else if (!GTO_SETTINGS.includes(lower)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown key '${key}'`,
          path: [key]
        })
      }
    }
    return config
  })
  .pipe(z.object({ stages: nameList, types: nameList }))

/** Parses `.gto`; errors name the file and the offending key. */
export function parseGtoConfig(text: string, file = '.gto'): GtoConfig {
  let raw: unknown
  try {
    raw = parse(text)
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${errorText(error)}`, {
      cause: error
    })
  }
  const result = gtoSchema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue.path.length ? ` at '${issue.path.join('.')}'` : ''
    throw new Error(
      `${file} is not a valid GTO configuration${where}: ${issue.message}. ` +
        "'stages' and 'types' must be lists of names; other keys must be " +
        "GTO's settings."
    )
  }
  return {
    stages: result.data?.stages ?? undefined,
    types: result.data?.types ?? undefined
  }
}

export interface Annotation {
  type: string
  path: string
  description: string
}

const annotationSchema = z
  .object({
    type: z.unknown().optional(),
    path: z.unknown().optional(),
    desc: z.unknown().optional()
  })
  .loose()

/**
 * The entry of one artifact in a `dvc.yaml` text; undefined when the file
 * does not declare it. A file that cannot be read declares nothing (a broken
 * annotation must not stop a deploy); `problem` says why, for a warning.
 */
export function annotationOf(
  text: string,
  shortName: string
): Annotation | undefined {
  return readAnnotation(text, shortName).annotation
}

export function readAnnotation(
  text: string,
  shortName: string
): { annotation?: Annotation; problem?: string } {
  let raw: unknown
  try {
    raw = parse(text)
  } catch (error) {
    return { problem: `not valid YAML (${errorText(error)})` }
  }
  if (!isRecord(raw) || raw.artifacts === undefined) return {}
  if (!isRecord(raw.artifacts)) {
    return { problem: "its 'artifacts' is not a mapping" }
  }
  if (raw.artifacts[shortName] === undefined) return {}
  const entry = annotationSchema.safeParse(raw.artifacts[shortName])
  if (!entry.success) {
    return { problem: `its entry '${shortName}' is not a mapping` }
  }
  return {
    annotation: {
      type: scalar(entry.data.type),
      path: scalar(entry.data.path),
      description: scalar(entry.data.desc)
    }
  }
}

/** The `dvc.yaml` that declares `dir:name`: `dir/dvc.yaml`, or the root one. */
export function dvcYamlPath(dir: string): string {
  return dir ? `${dir.replace(/\/+$/, '')}/dvc.yaml` : 'dvc.yaml'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function scalar(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
