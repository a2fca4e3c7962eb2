// Writes the action's outputs. Every declared output is always set, to the
// empty string when it does not apply, so later steps never read stale text.

import * as core from '@actions/core'

export const OUTPUT_NAMES = [
  'is-gto-tag',
  'event',
  'name',
  'model',
  'version',
  'stage',
  'tag',
  'tags',
  'commit',
  'counter',
  'message',
  'author',
  'author-email',
  'created-at',
  'type',
  'path',
  'description',
  'deleted',
  'pushed',
  'matrix',
  'json'
] as const
export type OutputName = (typeof OUTPUT_NAMES)[number]
export type Outputs = Partial<Record<OutputName, string>>

export function writeOutputs(outputs: Outputs): void {
  for (const name of OUTPUT_NAMES) {
    const value = name === 'model' ? outputs.name : outputs[name]
    core.setOutput(name, value ?? (name === 'is-gto-tag' ? 'false' : ''))
  }
}
