// The job summary: what a command created, deleted or read, as a table with
// links to the tags and commits on the server.

import * as core from '@actions/core'
import { appendFile } from 'node:fs/promises'
import type { Settings } from './inputs.js'
import type { Outputs } from './outputs.js'

interface Row {
  artifact: string
  version: string
  stage: string
  tag: string
  commit: string
}

type Cell = string | { data: string; header: true }

export async function writeSummary(
  settings: Settings,
  outputs: Outputs
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const summary = core.summary.emptyBuffer()
  const json = outputs.json ? (JSON.parse(outputs.json) as unknown) : undefined
  const { command } = settings

  if (command === 'show' && !settings.name) {
    summary.addHeading('Model registry', 3)
    summary.addTable(dashboard(json as Record<string, ShowEntry>))
  } else if (command === 'show') {
    summary.addHeading(`Stages of ${escape(settings.name)}`, 3)
    summary.addTable(eventTable(matrixRows(outputs)))
  } else if (command === 'history') {
    summary.addHeading('Registry history', 3)
    summary.addTable(eventTable(historyRows(json as HistoryEntry[])))
  } else if (command === 'check-ref') {
    if (outputs['is-gto-tag'] !== 'true') return
    const deleted = outputs.deleted === 'true' ? ' (tag deleted)' : ''
    summary.addHeading(
      `Deploy trigger: ${escape(outputs.event ?? '')}${deleted}`,
      3
    )
    summary.addTable(eventTable([rowOf(json as CheckRefObject)]))
  } else {
    const verb =
      outputs.deleted === 'true'
        ? 'Deleted'
        : settings.dryRun
          ? 'Would create'
          : 'Created'
    const where =
      outputs.pushed === 'true' ? ` and pushed to ${settings.remote}` : ''
    summary.addHeading(`${verb} tags${escape(where)}`, 3)
    summary.addTable(eventTable((json as CheckRefObject[]).map(rowOf)))
  }
  // Appended directly: the toolkit's summary remembers the first file it
  // saw, which is wrong for a process that runs the action twice.
  await appendFile(process.env.GITHUB_STEP_SUMMARY, summary.stringify())
}

interface CheckRefObject {
  artifact: string
  version?: string
  stage?: string
  tag: string
  commit_hexsha?: string
}

interface ShowEntry {
  version: string | null
  stage: Record<string, string | null>
}

interface HistoryEntry {
  artifact: string
  event: string
  version: string | null
  stage: string | null
  ref: string
  commit: string
  timestamp: string
}

function rowOf(o: CheckRefObject): Row {
  return {
    artifact: o.artifact,
    version: o.version ?? '',
    stage: o.stage ?? '',
    tag: o.tag,
    commit: o.commit_hexsha ?? ''
  }
}

function matrixRows(outputs: Outputs): Row[] {
  const matrix = JSON.parse(outputs.matrix ?? '{"include":[]}') as {
    include: Array<{
      name: string
      version: string
      stage: string
      tag: string
      commit: string
    }>
  }
  return matrix.include.map(m => ({ ...m, artifact: m.name }))
}

function historyRows(events: HistoryEntry[]): Row[] {
  return events.map(e => ({
    artifact: e.artifact,
    version: e.version ?? '',
    stage: e.stage ? `${e.stage} (${e.event})` : e.event,
    tag: e.ref,
    commit: e.commit
  }))
}

function eventTable(rows: Row[]): Cell[][] {
  const header: Cell[] = ['artifact', 'version', 'stage', 'tag', 'commit'].map(
    data => ({ data, header: true as const })
  )
  const shown = rows.slice(0, MAX_ROWS)
  const more: Cell[][] =
    rows.length > MAX_ROWS
      ? [[`… and ${rows.length - MAX_ROWS} more`, ' ', ' ', ' ', ' ']]
      : []
  return [
    header,
    ...shown.map(r => [
      escape(r.artifact),
      escape(r.version),
      escape(r.stage),
      link(r.tag, tagUrl(r.tag)),
      link(r.commit.slice(0, 7), commitUrl(r.commit))
    ]),
    ...more
  ]
}

// GitHub shows no step summary over 1 MiB: a long history keeps its newest
// rows, the rest is in the `json` output.
const MAX_ROWS = 500

/** One row per artifact and a column per stage, like Studio's dashboard. */
function dashboard(registry: Record<string, ShowEntry>): Cell[][] {
  const stages = Object.values(registry)[0]?.stage ?? {}
  const header: Cell[] = ['artifact', 'latest', ...Object.keys(stages)].map(
    data => ({ data: escape(data), header: true as const })
  )
  return [
    header,
    ...Object.entries(registry).map(([name, entry]) => [
      escape(name),
      escape(entry.version ?? ''),
      ...Object.values(entry.stage).map(v => escape(v ?? ''))
    ])
  ]
}

function repositoryUrl(): string | undefined {
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com'
  const repository = process.env.GITHUB_REPOSITORY
  return repository ? `${server}/${repository}` : undefined
}

// `#` starts a fragment in a URL, and GTO tags are full of it.
function tagUrl(tag: string): string | undefined {
  const base = repositoryUrl()
  return base && `${base}/tree/${tag.replace(/%/g, '%25').replace(/#/g, '%23')}`
}

function commitUrl(commit: string): string | undefined {
  const base = repositoryUrl()
  return base && commit ? `${base}/commit/${commit}` : undefined
}

function link(text: string, url: string | undefined): string {
  return url ? `<a href="${escape(url)}">${escape(text)}</a>` : escape(text)
}

/** HTML-escaped text; an empty cell gets a space so the toolkit closes it. */
function escape(text: string): string {
  if (text === '') return ' '
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
