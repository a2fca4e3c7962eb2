// Byte-for-byte parity with GTO: replaying, through this action, the steps
// that GTO and Studio took in iterative/example-gto writes tag objects with
// the very same ids as the tags they wrote (same name, target, tagger, date
// and message).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { loadRealRepo, rebuildRepo } from './helpers/fixture-repo.js'
import { git, removeDir, tempDir } from './helpers/git.js'

const { fixture } = loadRealRepo('example-gto')

let root: string
let originalIds: Map<string, string>

beforeAll(() => {
  root = tempDir('gto-parity-')
  rebuildRepo(fixture, join(root, 'original'))
  originalIds = tagIds(join(root, 'original'))
})

afterAll(() => removeDir(root))

function tagIds(repo: string): Map<string, string> {
  const out = git(repo, [
    'for-each-ref',
    '--format=%(refname:strip=2) %(objectname)',
    'refs/tags'
  ])
  return new Map(
    out
      .trim()
      .split('\n')
      .map(line => line.split(' ') as [string, string])
  )
}

describe('replaying example-gto through the action', () => {
  it('writes the tags GTO wrote, object for object', async () => {
    // The same commits, no tags, pushed to a bare origin.
    const replay = join(root, 'replay')
    const { shaOf } = rebuildRepo({ ...fixture, tags: [] }, replay)
    const origin = join(root, 'origin.git')
    git(root, ['clone', '-q', '--bare', replay, origin])
    git(replay, ['remote', 'add', 'origin', origin])

    // Every annotated tag, oldest first, as the command that wrote it.
    const steps = fixture.tags
      .filter(t => t.object_type === 'tag' && t.tagger)
      .sort((a, b) => a.tagger!.date_raw.localeCompare(b.tagger!.date_raw))
    for (const tag of steps) {
      const match = /^(.+?)(?:@(v.+)|#(.+)#\d+)$/.exec(tag.name)
      if (!match) throw new Error(`No step for ${tag.name}`)
      const [, name, version, stage] = match
      const inputs: Record<string, string> = version
        ? { command: 'register', name, version, ref: shaOf.get(tag.target)! }
        : { command: 'assign', name, stage, ref: shaOf.get(tag.target)! }
      const result = await runAction(
        {
          ...inputs,
          repository: replay,
          'tagger-name': tag.tagger!.name,
          'tagger-email': tag.tagger!.email
        },
        { GIT_COMMITTER_DATE: tag.tagger!.date_raw }
      )
      expect(result.error).toBeUndefined()
      expect(result.outputs.tag).toBe(tag.name)
    }

    const written = tagIds(origin)
    const expected = new Map(
      [...originalIds].filter(([name]) =>
        steps.some(step => step.name === name)
      )
    )
    expect(written).toEqual(expected)
    expect(written.size).toBe(steps.length)
  })
})
