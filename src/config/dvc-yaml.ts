// Reading the `artifacts:` section of a `dvc.yaml`: an artifact's type, path
// and description, for the outputs of the tag that names it.

import { parse } from 'yaml'

export interface Annotation {
  type: string
  path: string
  description: string
}

/**
 * The entry of one artifact in a `dvc.yaml` text; no annotation when the file
 * does not declare it. A file that cannot be read declares nothing (a broken
 * annotation must not stop a deploy); `problem` says why, for a warning.
 */
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
  const entry = raw.artifacts[shortName]
  if (entry !== null && !isRecord(entry)) {
    return { problem: `its entry '${shortName}' is not a mapping` }
  }
  return {
    annotation: {
      type: scalar(entry?.type),
      path: scalar(entry?.path),
      description: scalar(entry?.desc)
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
