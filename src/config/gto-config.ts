// Reading `.gto`, the registry's configuration: the stages that may be
// assigned and the artifact types; GTO's other settings are allowed.

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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
