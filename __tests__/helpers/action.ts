// Runs the action in-process as a runner would: inputs as INPUT_* variables,
// outputs read back from the GITHUB_OUTPUT file, the log captured.

import { jest } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run } from '../../src/main.js'
import { tempDir, removeDir } from './git.js'

export interface ActionResult {
  exitCode: number
  outputs: Record<string, string>
  log: string
  /** The `::error::` line's text, if the action failed. */
  error?: string
  summary: string
}

export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionResult> {
  const dir = tempDir('gto-run-')
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')

  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) {
      delete process.env[key]
    }
  }
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.toUpperCase()}`] = value
  }
  Object.assign(process.env, env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile
  })

  let log = ''
  const write = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      log += chunk.toString()
      return true
    })
  process.exitCode = undefined
  try {
    await run()
  } finally {
    write.mockRestore()
    process.env = saved
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = undefined

  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const summary = readFileSync(summaryFile, 'utf8')
  removeDir(dir)
  const error = /^::error::(.*)$/m.exec(log)?.[1]
  return { exitCode, outputs, log, error: error && unescape(error), summary }
}

/** Reads `name<<delimiter\nvalue\ndelimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    outputs[m[1]] = value.join('\n')
  }
  return outputs
}

function unescape(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}
