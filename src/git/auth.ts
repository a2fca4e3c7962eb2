// Authentication for HTTPS remotes. The token travels in an extra header set
// through git's environment configuration, so it never appears in a URL, an
// argument list or a log, and it replaces any header actions/checkout kept.

import * as core from '@actions/core'

export function authEnv(url: string, token: string): Record<string, string> {
  if (!token) return {}
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return {}
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return {}

  const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
  core.setSecret(basic)
  // The most specific URL wins in git's http config, so the header is set
  // for the remote's own URL: it beats a header stored for the host (as
  // actions/checkout does) or for the repository. The empty value first
  // clears any header stored under the same key.
  const key = `http.${url}.extraheader`
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`
  }
}
