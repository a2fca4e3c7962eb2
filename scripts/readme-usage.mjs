// Writes the README's inputs and outputs tables from action.yml, so the two
// never drift. `npm run docs` rewrites them; `--check` only reports whether
// they are stale (exit code 1), for tests and CI.
//
//   node scripts/readme-usage.mjs [--check] [--readme FILE] [--action FILE]

import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Renders one value as a table cell: one line, `|` escaped. */
function cell(text) {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')
}

function code(text) {
  return text === '' ? '' : `\`${text}\``
}

function table(header, rows) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(row => `| ${row.map(cell).join(' | ')} |`)
  ]
  return lines.join('\n')
}

function inputsTable(action) {
  const inputs = Object.entries(action.inputs ?? {})
  return table(
    ['input', 'default', 'description'],
    inputs.map(([name, spec]) => [
      code(name),
      code(String(spec?.default ?? '')),
      String(spec?.description ?? '')
    ])
  )
}

function outputsTable(action) {
  const outputs = Object.entries(action.outputs ?? {})
  return table(
    ['output', 'description'],
    outputs.map(([name, spec]) => [code(name), String(spec?.description ?? '')])
  )
}

/**
 * Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
 * Both markers must be there exactly once, start before end.
 */
function replaceSection(text, name, body, file) {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  const once = (marker, at) => text.indexOf(marker, at + 1) === -1
  if (from === -1 || to === -1 || to < from || !once(start, from)) {
    throw new Error(
      `${file} needs the markers ${start} and ${end}, once each and in ` +
        'that order, around the table they hold.'
    )
  }
  if (!once(end, to)) {
    throw new Error(`${file} holds the marker ${end} more than once.`)
  }
  // Blank lines around the table, as Prettier leaves them.
  const before = text.slice(0, from + start.length)
  return `${before}\n\n${body}\n\n${text.slice(to)}`
}

/** Formats a table the way `npm run format` would inside the README. */
async function formatted(markdown, readme) {
  const config = (await prettier.resolveConfig(readme)) ?? {}
  const text = await prettier.format(markdown, {
    ...config,
    parser: 'markdown'
  })
  return text.trimEnd()
}

/** The README's text with both tables brought up to date. */
async function updatedReadme(readmeText, actionText, readme) {
  const action = parse(actionText) ?? {}
  const file = relative(process.cwd(), readme) || readme
  const inputs = await formatted(inputsTable(action), readme)
  const outputs = await formatted(outputsTable(action), readme)
  const withInputs = replaceSection(readmeText, 'inputs', inputs, file)
  return replaceSection(withInputs, 'outputs', outputs, file)
}

async function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      readme: { type: 'string', default: join(ROOT, 'README.md') },
      action: { type: 'string', default: join(ROOT, 'action.yml') }
    }
  })
  const readme = resolve(values.readme)
  const current = readFileSync(readme, 'utf8')
  const actionText = readFileSync(resolve(values.action), 'utf8')
  const updated = await updatedReadme(current, actionText, readme)
  const name = relative(process.cwd(), readme) || readme

  if (values.check) {
    if (updated === current) {
      console.log(`${name}: inputs and outputs tables match action.yml`)
      return 0
    }
    console.error(
      `${name}: the inputs or outputs table differs from action.yml. ` +
        "Run 'npm run docs' and commit the result."
    )
    return 1
  }

  if (updated === current) {
    console.log(`${name} is up to date`)
  } else {
    writeFileSync(readme, updated)
    console.log(`${name}: rewrote the inputs and outputs tables`)
  }
  return 0
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 2
}
