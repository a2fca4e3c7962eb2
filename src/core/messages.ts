// The default annotation GTO writes for each action. Names are in `dir:name`
// form; the tag itself stores the text plus a newline.

import type { Action } from './tags.js'

export interface MessageSubject {
  name: string
  version?: string
  stage?: string
}

export function defaultMessage(action: Action, s: MessageSubject): string {
  switch (action) {
    case 'register':
      return `Registering artifact ${s.name} version ${s.version}`
    case 'deregister':
      return `Deregistering artifact ${s.name} version ${s.version}`
    case 'assign':
      return `Assigning stage ${s.stage} to artifact ${s.name} version ${s.version}`
    case 'unassign':
      return `Unassigning stage '${s.stage}' to artifact '${s.name}' version '${s.version}'`
    case 'deprecate':
      return `Deprecating artifact '${s.name}'`
  }
}
