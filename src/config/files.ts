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

const gtoSchema = z
  .strictObject({ stages: nameList, types: nameList })
  .nullish()

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
    const keys =
      issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : ''
    throw new Error(
      `${file} is not a valid GTO configuration${where}: ${issue.message}` +
        `${keys}. It may hold only 'stages' and 'types', lists of names.`
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
 * does not declare it. A file that cannot be read as YAML declares nothing:
 * a broken annotation must not stop a deploy.
 */
export function annotationOf(
  text: string,
  shortName: string
): Annotation | undefined {
  let raw: unknown
  try {
    raw = parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(raw) || !isRecord(raw.artifacts)) return undefined
  const entry = annotationSchema.safeParse(raw.artifacts[shortName])
  if (!entry.success) return undefined
  return {
    type: scalar(entry.data.type),
    path: scalar(entry.data.path),
    description: scalar(entry.data.desc)
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
