// check-ref on a rebuilt copy of a real GTO repository (iterative/example-gto):
// every tag's outputs and json must match what GTO reports there.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from './helpers/action.js'
import {
  loadRealRepo,
  rebuildRepo,
  type ExpectedCheckRef,
  type RebuiltRepo
} from './helpers/fixture-repo.js'
import { git, removeDir, tempDir } from './helpers/git.js'

const { fixture, expected } = loadRealRepo('example-gto')

let root: string
let repo: RebuiltRepo

beforeAll(() => {
  root = tempDir('gto-real-repo-')
  repo = rebuildRepo(fixture, root)
})

afterAll(() => {
  if (root) removeDir(root)
})

/** A SHA as its fixture label; an unknown SHA is kept, so a diff shows it. */
function label(sha: string): string {
  return repo.labelOf.get(sha) ?? sha
}

/** The outputs named in the expected entry, with `commit` as a label. */
function comparable(
  outputs: Record<string, string>,
  entry: ExpectedCheckRef
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(entry.outputs).map(key => {
      const value = outputs[key]
      return [key, key === 'commit' && value ? label(value) : value]
    })
  )
}

/** The `json` output parsed, with `commit_hexsha` as a label. */
function parsedJson(text: string | undefined): unknown {
  if (!text) return text
  const json = JSON.parse(text) as Record<string, unknown>
  if (typeof json.commit_hexsha === 'string') {
    json.commit_hexsha = label(json.commit_hexsha)
  }
  return json
}

async function checkRef(ref: string) {
  return runAction({
    command: 'check-ref',
    ref,
    fetch: 'false',
    push: 'false',
    repository: root
  })
}

describe(`rebuilt ${fixture.source.repository}`, () => {
  it('holds the fixture commits and tags exactly', () => {
    for (const commit of fixture.commits) {
      const sha = repo.shaOf.get(commit.label) ?? ''
      const raw = git(root, ['cat-file', 'commit', sha])
      const headers = raw.slice(0, raw.indexOf('\n\n'))
      expect(raw.slice(headers.length + 2)).toBe(commit.message)
      const { author: a, committer: c } = commit
      expect(headers).toContain(`\nauthor ${a.name} <${a.email}> ${a.date_raw}`)
      expect(headers).toContain(
        `\ncommitter ${c.name} <${c.email}> ${c.date_raw}`
      )
      for (const [path, text] of Object.entries(commit.files)) {
        expect(git(root, ['show', `${sha}:${path}`])).toBe(text)
      }
      const paths = git(root, ['ls-tree', '-r', '-z', '--name-only', sha])
      expect(paths.split('\0').filter(Boolean).sort()).toEqual(
        Object.keys(commit.files).sort()
      )
    }

    const out = git(root, [
      'for-each-ref',
      '--format=%(refname:strip=2)%00%(objecttype)%00%(*objectname)%00' +
        '%(objectname)%00%(taggername)%00%(taggeremail)%00' +
        '%(taggerdate:raw)%00%(contents)%01',
      'refs/tags'
    ])
    const tags = out
      .split('\x01\n')
      .filter(Boolean)
      .map(chunk => {
        const [name, type, peeled, id, tagger, email, date, message] =
          chunk.split('\0')
        const annotated = type === 'tag'
        return {
          name,
          target: label(annotated ? peeled : id),
          object_type: type,
          tagger: annotated
            ? { name: tagger, email: email.replace(/^<|>$/g, ''), date }
            : null,
          message: annotated ? message : null
        }
      })
    expect(tags).toEqual(
      fixture.tags.map(t => ({
        name: t.name,
        target: t.target,
        object_type: t.object_type,
        tagger: t.tagger && {
          name: t.tagger.name,
          email: t.tagger.email,
          date: t.tagger.date_raw
        },
        message: t.object_type === 'tag' ? t.message : null
      }))
    )
  })

  describe('check-ref', () => {
    it.each(expected.check_ref.map(entry => [entry.tag, entry] as const))(
      '%s',
      async (_tag, entry) => {
        const result = await checkRef(entry.ref)

        expect(result.error).toBeUndefined()
        expect(result.exitCode).toBe(0)
        expect(comparable(result.outputs, entry)).toEqual(entry.outputs)
        if (entry.json === null) {
          expect(result.outputs.json).toBe('')
        } else {
          const json = parsedJson(result.outputs.json)
          expect(json).toEqual(entry.json)
          // GTO's key order, not just its keys.
          expect(Object.keys(json as object)).toEqual(Object.keys(entry.json))
        }
      }
    )

    it('reads a bare tag name (no refs/tags/) the same way', async () => {
      const entry = expected.check_ref[0]
      expect(entry.ref).toBe(`refs/tags/${entry.tag}`)

      const full = await checkRef(entry.ref)
      const bare = await checkRef(entry.tag)

      expect(bare.error).toBeUndefined()
      expect(bare.exitCode).toBe(0)
      expect(comparable(bare.outputs, entry)).toEqual(entry.outputs)
      expect(bare.outputs).toEqual(full.outputs)
    })
  })

  describe('show and history', () => {
    async function read(inputs: Record<string, string>) {
      const result = await runAction({
        fetch: 'false',
        push: 'false',
        repository: root,
        ...inputs
      })
      expect(result.error).toBeUndefined()
      expect(result.exitCode).toBe(0)
      return result
    }

    it("show gives GTO's registry", async () => {
      const result = await read({ command: 'show' })
      expect(JSON.parse(result.outputs.json)).toEqual(expected.show)
    })

    it.each(Object.keys(expected.show_name))('show %s', async name => {
      const result = await read({ command: 'show', name })
      const versions = JSON.parse(result.outputs.json) as Array<{
        version: string
        commit_hexsha: string
        is_active: boolean
        discovered: boolean
        registrations: Array<{ tag: string }>
        deregistrations: Array<{ tag: string }>
        stages: Array<{
          stage: string
          is_active: boolean
          assignments: Array<{ tag: string }>
          unassignments: Array<{ tag: string }>
        }>
      }>
      const tags = (events: Array<{ tag: string }>) => events.map(e => e.tag)
      expect(
        versions.map(v => ({
          version: v.version,
          commit: label(v.commit_hexsha),
          is_active: v.is_active,
          discovered: v.discovered,
          registrations: tags(v.registrations),
          deregistrations: tags(v.deregistrations),
          stages: v.stages.map(s => ({
            stage: s.stage,
            is_active: s.is_active,
            assignments: tags(s.assignments),
            unassignments: tags(s.unassignments)
          }))
        }))
      ).toEqual(expected.show_name[name])
    })

    it("history gives GTO's events, newest first", async () => {
      const result = await read({ command: 'history' })
      const events = JSON.parse(result.outputs.json) as Array<
        Record<string, unknown>
      >
      expect(
        events.map(e => ({ ...e, commit: label(String(e.commit)) }))
      ).toEqual(
        expected.history.map(e => {
          const { timestamp_gto_0_3_5: _naive, ...rest } = e
          return rest
        })
      )
    })

    it('show sets a matrix entry per stage holder', async () => {
      const result = await read({ command: 'show' })
      const matrix = JSON.parse(result.outputs.matrix) as {
        include: Array<Record<string, string>>
      }
      const rows = matrix.include.map(r => `${r.name} ${r.stage} ${r.version}`)
      expect(rows.sort()).toEqual([
        'churn dev v3.1.0',
        'churn prod v3.0.0',
        'churn staging v3.1.0',
        'segment dev v0.4.1'
      ])
    })
  })
})
