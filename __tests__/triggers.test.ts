// check-ref driven by the event payloads GitHub sends (tag push, delete,
// dispatches), and the `dispatch` input against a local stand-in for the API.

import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction, type ActionResult } from './helpers/action.js'
import {
  commit,
  git,
  gtoTag,
  sandbox,
  tagsOf,
  type Sandbox
} from './helpers/git.js'

const EVENTS = fileURLToPath(new URL('./fixtures/events/', import.meta.url))

// Tag names the fixtures carry; the tests put the existing ones on origin.
const PUSHED_TAG = 'cv=pool-segmentation#prod#3'
const DELETED_BY_PUSH = 'churn#prod#5'
const DELETED_BY_EVENT = 'cv=pool-segmentation#staging#2'
const DISPATCH_INPUT_TAG = 'churn#prod#2'
const CLIENT_PAYLOAD_TAG = 'churn#prod#12'

const DVC_YAML = `artifacts:
  pool-segmentation:
    type: model
    path: models/seg.pt
    desc: Segments pools
`

let box: Sandbox
afterEach(() => box?.cleanup())

type Payload = Record<string, unknown>

/**
 * The environment a runner sets for an event: the payload file (a fixture,
 * changed by `patch` when given), the event name, and GITHUB_REF as GitHub
 * sets it for that event (the default branch for delete and dispatches).
 */
function eventEnv(
  eventName: string,
  fixture: string,
  workspace: string,
  patch: (payload: Payload) => void = () => {}
): Record<string, string> {
  const payload = JSON.parse(
    readFileSync(join(EVENTS, fixture), 'utf8')
  ) as Payload
  patch(payload)
  const path = join(box.root, `event-${fixture}`)
  writeFileSync(path, JSON.stringify(payload))

  const ref =
    eventName === 'push' || eventName === 'workflow_dispatch'
      ? (payload.ref as string)
      : 'refs/heads/main'
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path,
    GITHUB_REF: ref,
    GITHUB_REPOSITORY: 'example-org/model-registry',
    GITHUB_WORKSPACE: workspace
  }
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

function expectSuccess(result: ActionResult) {
  expect(result.error).toBeUndefined()
  expect(result.exitCode).toBe(0)
  expect(result.log).not.toMatch(/^::warning::/m)
}

/** Outputs that say "no GTO event": every one empty but `is-gto-tag`. */
function expectNoEvent(result: ActionResult) {
  expectSuccess(result)
  expect(result.outputs['is-gto-tag']).toBe('false')
  for (const name of ['event', 'name', 'version', 'stage', 'tag', 'commit']) {
    expect(result.outputs[name]).toBe('')
  }
}

/** `churn` registered as v1.4.0 with prod assigned twice, on origin. */
function churnOnOrigin(): string {
  const target = commit(box.work, { 'churn/model.pkl': 'churn\n' })
  gtoTag(
    box.work,
    'churn@v1.4.0',
    target,
    'Registering artifact churn version v1.4.0\n',
    '1716796800 +0200'
  )
  gtoTag(
    box.work,
    DISPATCH_INPUT_TAG,
    target,
    'Assigning stage prod to artifact churn version v1.4.0\n',
    '1716796801 +0200'
  )
  gtoTag(
    box.work,
    CLIENT_PAYLOAD_TAG,
    target,
    'Assigning stage prod to artifact churn version v1.4.0\n',
    '1716796802 +0200'
  )
  git(box.work, ['push', '-q', 'origin', 'main', '--tags'])
  return target
}

describe('check-ref on a tag push', () => {
  it('reads the pushed tag in a depth-1 clone that has no tags', async () => {
    box = sandbox({ 'cv/dvc.yaml': DVC_YAML })
    const tagged = head(box.work)
    gtoTag(
      box.work,
      'cv=pool-segmentation@v1.2.0',
      tagged,
      'Registering artifact cv:pool-segmentation version v1.2.0\n',
      '1700000000 +0300'
    )
    gtoTag(
      box.work,
      PUSHED_TAG,
      tagged,
      'Assigning stage prod to artifact cv:pool-segmentation version v1.2.0\n',
      '1700000060 +0300'
    )
    // The branch moves on, so the tagged commit is not in the clone at all,
    // and its dvc.yaml differs from the one at the head.
    commit(box.work, { 'cv/dvc.yaml': DVC_YAML.replace('pools', 'roofs') })
    git(box.work, ['push', '-q', 'origin', 'main', '--tags'])
    const runner = box.runnerClone()
    expect(tagsOf(runner).size).toBe(0)
    const tagObject = git(box.origin, ['rev-parse', PUSHED_TAG]).trim()

    const result = await runAction(
      {},
      eventEnv('push', 'push-tag.json', runner, p => (p.after = tagObject))
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      name: 'cv:pool-segmentation',
      model: 'cv:pool-segmentation',
      version: 'v1.2.0',
      stage: 'prod',
      tag: PUSHED_TAG,
      commit: tagged,
      counter: '3',
      message:
        'Assigning stage prod to artifact cv:pool-segmentation version v1.2.0',
      author: 'GTO User',
      'author-email': 'gto@example.com',
      'created-at': '2023-11-15T01:14:20+03:00',
      type: 'model',
      path: 'models/seg.pt',
      description: 'Segments pools',
      deleted: 'false'
    })
    expect(JSON.parse(result.outputs.matrix)).toEqual({
      include: [
        {
          event: 'assignment',
          name: 'cv:pool-segmentation',
          version: 'v1.2.0',
          stage: 'prod',
          tag: PUSHED_TAG,
          commit: tagged
        }
      ]
    })
    expect(JSON.parse(result.outputs.json)).toMatchObject({
      artifact: 'cv:pool-segmentation',
      commit_hexsha: tagged,
      tag: PUSHED_TAG,
      version: 'v1.2.0',
      stage: 'prod',
      event: 'assignment'
    })
    expect(result.summary).toContain(PUSHED_TAG)
    expect(result.summary).toContain(tagged)
    // The version came from the registration tag, fetched from origin.
    expect(tagsOf(runner).get('cv=pool-segmentation@v1.2.0')?.type).toBe('tag')
  })

  it('fetches the annotated tag when the checkout made it lightweight', async () => {
    box = sandbox({ 'dvc.yaml': DVC_YAML })
    const tagged = head(box.work)
    gtoTag(
      box.work,
      'cv=pool-segmentation@v1.2.0',
      tagged,
      'Registering artifact cv:pool-segmentation version v1.2.0\n'
    )
    gtoTag(
      box.work,
      PUSHED_TAG,
      tagged,
      'Assigning stage prod to artifact cv:pool-segmentation version v1.2.0\n'
    )
    git(box.work, ['push', '-q', 'origin', 'main', '--tags'])
    const runner = box.runnerClone()
    // What old actions/checkout versions left behind for a tag push.
    git(runner, ['tag', PUSHED_TAG, tagged])
    expect(tagsOf(runner).get(PUSHED_TAG)?.type).toBe('commit')

    const result = await runAction(
      {},
      eventEnv('push', 'push-tag.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      name: 'cv:pool-segmentation',
      version: 'v1.2.0',
      stage: 'prod',
      commit: tagged,
      counter: '3',
      author: 'GTO User'
    })
    expect(tagsOf(runner).get(PUSHED_TAG)?.type).toBe('tag')
  })

  it('reports a tag deleted by a push from its name alone', async () => {
    box = sandbox()
    churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('push', 'push-tag-deleted.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      deleted: 'true',
      event: 'assignment',
      name: 'churn',
      stage: 'prod',
      version: '',
      tag: DELETED_BY_PUSH,
      counter: '5',
      commit: ''
    })
    expect(JSON.parse(result.outputs.matrix)).toEqual({
      include: [
        {
          event: 'assignment',
          name: 'churn',
          version: '',
          stage: 'prod',
          tag: DELETED_BY_PUSH,
          commit: '',
          deleted: true
        }
      ]
    })
  })

  it('gives is-gto-tag=false for a branch push', async () => {
    box = sandbox()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('push', 'push-branch.json', runner)
    )

    expectNoEvent(result)
    expect(result.outputs.deleted).toBe('')
  })

  it.each([
    ['a release tag', 'v2.1.0'],
    ['a version without minor and patch', 'churn@v1'],
    ['a stage after a version', 'churn#prod@v1.2.3']
  ])('gives is-gto-tag=false for %s', async (_what, tag) => {
    box = sandbox()
    git(box.work, ['tag', '-a', '-m', 'Release', tag])
    git(box.work, ['push', '-q', 'origin', '--tags'])
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('push', 'push-tag.json', runner, p => {
        p.ref = `refs/tags/${tag}`
      })
    )

    expectNoEvent(result)
  })
})

describe('check-ref on other events', () => {
  it('reports the tag of a delete event as deleted', async () => {
    box = sandbox()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('delete', 'delete-tag.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      deleted: 'true',
      event: 'assignment',
      name: 'cv:pool-segmentation',
      model: 'cv:pool-segmentation',
      stage: 'staging',
      version: '',
      tag: DELETED_BY_EVENT,
      counter: '2',
      commit: ''
    })
    expect(JSON.parse(result.outputs.json)).toEqual({
      artifact: 'cv:pool-segmentation',
      tag: DELETED_BY_EVENT,
      stage: 'staging',
      event: 'assignment'
    })
    // The job summary names the deleted tag, though it has no commit now.
    expect(result.summary).toContain(DELETED_BY_EVENT)
  })

  it('reads the version of a deleted registration tag from its name', async () => {
    box = sandbox()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('delete', 'delete-tag.json', runner, p => {
        p.ref = 'churn@v1.4.0!#7'
      })
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      deleted: 'true',
      event: 'deregistration',
      name: 'churn',
      version: 'v1.4.0',
      stage: '',
      counter: '7'
    })
  })

  it('gives is-gto-tag=false when a branch is deleted', async () => {
    box = sandbox()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('delete', 'delete-tag.json', runner, p => {
        p.ref = 'feature/retrain'
        p.ref_type = 'branch'
      })
    )

    expectNoEvent(result)
  })

  it('reads the tag input of workflow_dispatch', async () => {
    box = sandbox()
    const target = churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('workflow_dispatch', 'workflow-dispatch.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      name: 'churn',
      version: 'v1.4.0',
      stage: 'prod',
      tag: DISPATCH_INPUT_TAG,
      counter: '2',
      commit: target,
      'created-at': '2024-05-27T10:00:01+02:00',
      deleted: 'false'
    })
  })

  it('falls back to the branch when workflow_dispatch has no tag', async () => {
    box = sandbox()
    churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('workflow_dispatch', 'workflow-dispatch.json', runner, p => {
        p.inputs = { environment: 'production' }
      })
    )

    expectNoEvent(result)
  })

  it('reads GITHUB_REF when workflow_dispatch ran on a tag with tag empty', async () => {
    box = sandbox()
    const target = churnOnOrigin()
    const runner = box.runnerClone()

    // "Use workflow from" a tag, the optional tag input left empty.
    const result = await runAction(
      {},
      eventEnv('workflow_dispatch', 'workflow-dispatch.json', runner, p => {
        p.ref = `refs/tags/${CLIENT_PAYLOAD_TAG}`
        p.inputs = { tag: '', environment: 'production' }
      })
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      tag: CLIENT_PAYLOAD_TAG,
      counter: '12',
      commit: target
    })
  })

  it('reads client_payload.tag of repository_dispatch', async () => {
    box = sandbox()
    const target = churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      {},
      eventEnv('repository_dispatch', 'repository-dispatch.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      name: 'churn',
      version: 'v1.4.0',
      stage: 'prod',
      tag: CLIENT_PAYLOAD_TAG,
      counter: '12',
      commit: target,
      deleted: 'false'
    })
  })

  it('lets the ref input win over a delete event', async () => {
    box = sandbox()
    const target = churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      { ref: 'refs/tags/churn@v1.4.0' },
      eventEnv('delete', 'delete-tag.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'registration',
      name: 'churn',
      version: 'v1.4.0',
      stage: '',
      tag: 'churn@v1.4.0',
      commit: target,
      deleted: 'false'
    })
  })

  it('lets a short ref input win over a branch push', async () => {
    box = sandbox()
    const target = churnOnOrigin()
    const runner = box.runnerClone()

    const result = await runAction(
      { ref: CLIENT_PAYLOAD_TAG },
      eventEnv('push', 'push-branch.json', runner)
    )

    expectSuccess(result)
    expect(result.outputs).toMatchObject({
      event: 'assignment',
      tag: CLIENT_PAYLOAD_TAG,
      counter: '12',
      commit: target
    })
  })
})

interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** A stand-in for the GitHub API that records requests and answers `status`. */
async function apiServer(status: number) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', chunk => (body += chunk))
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body
      })
      if (status === 204) {
        res.writeHead(204).end()
        return
      }
      const message = status === 404 ? 'Not Found' : 'Server Error'
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message, status: String(status) }))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise(resolve => server.close(resolve))
  }
}

const TOKEN = 'ghs_dispatchTestToken0123456789abcdef'

/** The token may reach the log only in the runner's `::add-mask::` command. */
function expectTokenMasked(log: string) {
  expect(log).toContain(`::add-mask::${TOKEN}`)
  const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
  const visible = log
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  expect(visible).not.toContain(TOKEN)
  expect(visible).not.toContain(basic)
}

describe('dispatch', () => {
  let api: Awaited<ReturnType<typeof apiServer>> | undefined
  afterEach(async () => {
    await api?.close()
    api = undefined
  })

  function assignEnv(url: string) {
    return { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'o/r' }
  }

  it('sends repository_dispatch with the created tag after the push', async () => {
    api = await apiServer(204)
    box = sandbox()
    const target = head(box.work)
    const runner = box.runnerClone()

    const result = await runAction(
      {
        command: 'assign',
        name: 'rf',
        stage: 'prod',
        dispatch: 'deploy-model',
        token: TOKEN,
        repository: runner
      },
      assignEnv(api.url)
    )

    expectSuccess(result)
    expect([...tagsOf(box.origin).keys()].sort()).toEqual([
      'rf#prod#1',
      'rf@v0.0.1'
    ])
    expect(api.received).toHaveLength(1)
    const [request] = api.received
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/repos/o/r/dispatches')
    expect(request.headers.authorization).toBe(`token ${TOKEN}`)
    expect(JSON.parse(request.body)).toEqual({
      event_type: 'deploy-model',
      client_payload: {
        name: 'rf',
        version: 'v0.0.1',
        stage: 'prod',
        tag: 'rf#prod#1',
        commit: target,
        event: 'assignment'
      }
    })
    expect(result.outputs).toMatchObject({
      tag: 'rf#prod#1',
      commit: target,
      pushed: 'true'
    })
    expectTokenMasked(result.log)
  })

  it.each([500, 404])(
    'fails, saying the tags were pushed, when the API answers %i',
    async status => {
      api = await apiServer(status)
      box = sandbox()
      const runner = box.runnerClone()

      const result = await runAction(
        {
          command: 'assign',
          name: 'rf',
          stage: 'prod',
          dispatch: 'deploy-model',
          token: TOKEN,
          repository: runner
        },
        assignEnv(api.url)
      )

      expect(result.exitCode).toBe(1)
      expect(result.error).toMatch(/rf@v0\.0\.1.*rf#prod#1.*were pushed/)
      expect(result.error).toMatch(/'deploy-model' was not sent/)
      expect(api.received).toHaveLength(1)
      // The push happened before the dispatch, so the tags stay.
      expect([...tagsOf(box.origin).keys()].sort()).toEqual([
        'rf#prod#1',
        'rf@v0.0.1'
      ])
      expectTokenMasked(result.log)
    }
  )

  it('sends nothing when nothing was pushed', async () => {
    api = await apiServer(204)
    box = sandbox()
    const runner = box.runnerClone()

    const result = await runAction(
      {
        command: 'assign',
        name: 'rf',
        stage: 'prod',
        dispatch: 'deploy-model',
        token: TOKEN,
        push: 'false',
        repository: runner
      },
      assignEnv(api.url)
    )

    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    // Said up front, so nobody waits for a deploy that will not start.
    expect(result.log).toContain(
      "::warning::No repository_dispatch 'deploy-model' will be sent"
    )
    expect(result.outputs.pushed).toBe('false')
    expect(api.received).toHaveLength(0)
    expect(tagsOf(box.origin).size).toBe(0)
  })
})
