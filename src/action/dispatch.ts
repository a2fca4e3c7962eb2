// Fires a repository_dispatch event after a push, so that a deploy workflow
// runs even when the tags were pushed with GITHUB_TOKEN (which starts none).

import * as core from '@actions/core'

export interface DispatchPayload {
  name: string
  version: string
  stage: string
  tag: string
  commit: string
  event: string
}

export async function dispatch(
  eventType: string,
  token: string,
  payload: DispatchPayload
): Promise<void> {
  const problem = dispatchProblem(token, `'${eventType}'`)
  if (problem) throw new Error(problem)
  const repository = process.env.GITHUB_REPOSITORY as string
  const [owner, repo] = repository.split('/')
  core.info(`Sending repository_dispatch '${eventType}' to ${repository}`)
  // The toolkit reads GITHUB_API_URL when it loads; read it now instead.
  const github = await import('@actions/github')
  const octokit = github.getOctokit(token, {
    baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com'
  })
  await octokit.rest.repos.createDispatchEvent({
    owner,
    repo,
    event_type: eventType,
    client_payload: { ...payload }
  })
}

/** Why a dispatch cannot be sent, or undefined when it can. */
export function dispatchProblem(
  token: string,
  eventType = 'the dispatch event'
): string | undefined {
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) {
    return (
      'GITHUB_REPOSITORY is not set, so there is no repository to send ' +
      `${eventType} to. Leave 'dispatch' empty outside GitHub Actions.`
    )
  }
  if (!token) {
    return (
      `Input 'token' is empty, so ${eventType} cannot be sent. Give a ` +
      'token that may write contents (is the secret set?), or leave ' +
      "'dispatch' empty."
    )
  }
  return undefined
}
