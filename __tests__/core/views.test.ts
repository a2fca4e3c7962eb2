// GTO's `show`, `show NAME`, `history` and the stage-holder matrix (gto-tags.md
// §6, §7), computed from registries built from synthetic tag records.

import { describe, expect, it } from '@jest/globals'
import { isoTime } from '../../src/core/events.js'
import {
  RegistryError,
  buildRegistry,
  type Registry
} from '../../src/core/registry.js'
import {
  history,
  holdersMatrix,
  showArtifact,
  showRegistry,
  stageColumns,
  type ShowOptions,
  type VersionSort
} from '../../src/core/views.js'
import {
  AUTHOR,
  C1,
  C2,
  C3,
  C4,
  EMAIL,
  T0,
  annotated,
  registryOf,
  type Row
} from '../helpers/tag-records.js'

const DEFAULT: ShowOptions = { sort: 'timestamp', versionsPerStage: 1 }

/** `show --json`; the stage columns come from `.gto` when given. */
function show(
  rows: readonly Row[],
  options: ShowOptions = DEFAULT,
  configured?: string[]
) {
  const registry = registryOf(rows)
  return showRegistry(registry, stageColumns(registry, configured), options)
}

/** What `show` lists for rf's stage, with every sort and limit. */
function holder(
  rows: readonly Row[],
  stage: string,
  sort: VersionSort,
  versionsPerStage: number
): string | null | undefined {
  const result = show(rows, { sort, versionsPerStage }, [stage])
  return result.rf?.stage[stage]
}

function refs(registry: Registry, only?: string): string[] {
  return history(registry, only).map(e => e.ref)
}

/** The ISO time of a row's second, in UTC. */
function at(second: number): string {
  return isoTime(T0 + second, '+0000')
}

describe('show: the registry', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v1.1.0', C2, 2],
    ['rf#prod#1', C1, 3],
    ['rf#staging#2', C2, 4],
    ['nn@v0.0.1', C3, 5],
    ['nn#dev#1', C3, 6]
  ]

  it('lists every artifact with the same stage keys', () => {
    const result = show(rows)
    expect(result).toEqual({
      rf: {
        version: 'v1.1.0',
        stage: { dev: null, prod: 'v1.0.0', staging: 'v1.1.0' },
        registered: true,
        active: true
      },
      nn: {
        version: 'v0.0.1',
        stage: { dev: 'v0.0.1', prod: null, staging: null },
        registered: true,
        active: true
      }
    })
    expect(Object.keys(result)).toEqual(['rf', 'nn'])
    expect(Object.keys(result.nn.stage)).toEqual(['dev', 'prod', 'staging'])
  })

  it.each<[string, Row[], string | null]>([
    [
      'the highest, not the newest',
      [
        ['rf@v2.0.0', C1, 1],
        ['rf@v1.5.0', C2, 2]
      ],
      'v2.0.0'
    ],
    [
      'SemVer precedence, not text order',
      [
        ['rf@v1.10.0', C1, 1],
        ['rf@v1.9.0', C2, 2],
        ['rf@v1.10.0-rc.1', C3, 3]
      ],
      'v1.10.0'
    ],
    [
      'the highest still registered',
      [
        ['rf@v2.0.0', C1, 1],
        ['rf@v1.5.0', C2, 2],
        ['rf@v2.0.0!', C1, 3]
      ],
      'v1.5.0'
    ],
    [
      'none when every version is deregistered',
      [
        ['rf@v2.0.0', C1, 1],
        ['rf@v2.0.0!', C1, 3]
      ],
      null
    ],
    ['none for an unregistered commit', [['rf#prod#1', C1, 1]], null]
  ])('gives as version %s', (_, versionRows, version) => {
    expect(show(versionRows).rf.version).toBe(version)
  })
})

describe('show: stage columns', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf#staging#1', C1, 2],
    ['nn@v1.0.0', C2, 3],
    ['nn#prod#1', C2, 4],
    ['nn#dev#2', C2, 5],
    ['nn#dev!#3', C2, 6],
    ['old@v1.0.0', C3, 7],
    ['old#qa#1', C3, 8],
    ['old#Prod#2', C3, 9],
    ['old@deprecated', C3, 10]
  ]

  it('are the stages held now, sorted, deprecated artifacts included', () => {
    // `dev` was unassigned, so no artifact holds it.
    const registry = registryOf(rows)
    expect(stageColumns(registry, undefined)).toEqual([
      'Prod',
      'prod',
      'qa',
      'staging'
    ])
  })

  it('leave deprecated artifacts out of show', () => {
    const result = show(rows)
    expect(Object.keys(result)).toEqual(['rf', 'nn'])
    expect(result.rf.stage).toEqual({
      Prod: null,
      prod: null,
      qa: null,
      staging: 'v1.0.0'
    })
  })

  it("are .gto's stages in their order when it lists them", () => {
    const result = show(rows, DEFAULT, ['staging', 'prod', 'dev'])
    expect(Object.keys(result.nn.stage)).toEqual(['staging', 'prod', 'dev'])
    expect(result.nn.stage).toEqual({
      staging: null,
      prod: 'v1.0.0',
      dev: null
    })
  })

  it('are none when .gto lists no stages', () => {
    expect(show(rows, DEFAULT, []).rf.stage).toEqual({})
  })

  it('leave out a stage held only by a deregistered version', () => {
    const registry = registryOf([
      ['rf@v1.0.0', C1, 1],
      ['rf#prod#1', C1, 2],
      ['rf@v1.0.0!', C1, 3]
    ])
    expect(stageColumns(registry, undefined)).toEqual([])
  })
})

describe('show: falling back to the previous holder', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C2, 2],
    ['rf#prod#1', C1, 3],
    ['rf#prod#2', C2, 4]
  ]
  const unassigned: Row[] = [...rows, ['rf#prod!#3', C2, 5]]

  it.each<[string, Row[], VersionSort, number, string | null]>([
    ['before', rows, 'timestamp', 1, 'v2.0.0'],
    ['before', rows, 'semver', 1, 'v2.0.0'],
    ['before', rows, 'timestamp', -1, 'v2.0.0, v1.0.0'],
    ['after', unassigned, 'timestamp', 1, 'v1.0.0'],
    ['after', unassigned, 'semver', 1, 'v1.0.0'],
    ['after', unassigned, 'timestamp', -1, 'v1.0.0'],
    [
      'after unassigning both',
      [...unassigned, ['rf#prod!#4', C1, 6]],
      'timestamp',
      1,
      null
    ]
  ])(
    '%s unassigning the newest: sort %s, %i per stage, lists %s',
    (_, stageRows, sort, perStage, expected) => {
      expect(holder(stageRows, 'prod', sort, perStage)).toBe(expected)
    }
  )
})

describe('show: a deregistered version leaves every stage', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C2, 2],
    ['rf#dev#1', C2, 3],
    ['rf#prod#2', C2, 4],
    ['rf#dev#3', C1, 5]
  ]
  const deregistered: Row[] = [...rows, ['rf@v2.0.0!', C2, 6]]

  it('holds its stages while registered', () => {
    expect(show(rows).rf).toEqual({
      version: 'v2.0.0',
      stage: { dev: 'v1.0.0', prod: 'v2.0.0' },
      registered: true,
      active: true
    })
  })

  it('holds none once deregistered', () => {
    expect(show(deregistered).rf).toEqual({
      version: 'v1.0.0',
      stage: { dev: 'v1.0.0' },
      registered: true,
      active: true
    })
    expect(show(deregistered, DEFAULT, ['dev', 'prod']).rf.stage).toEqual({
      dev: 'v1.0.0',
      prod: null
    })
    expect(holder(deregistered, 'dev', 'timestamp', -1)).toBe('v1.0.0')
    expect(holder(deregistered, 'dev', 'semver', -1)).toBe('v1.0.0')
  })

  it('is no longer listed by show NAME, but stays in history', () => {
    const registry = registryOf(deregistered)
    expect(showArtifact(registry, 'rf', DEFAULT).map(v => v.version)).toEqual([
      'v1.0.0'
    ])
    expect(refs(registry)).toEqual([
      'rf@v2.0.0!',
      'rf#dev#3',
      'rf#prod#2',
      'rf#dev#1',
      'rf@v2.0.0',
      'rf@v1.0.0'
    ])
  })
})

describe('show: deprecation', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf#prod#1', C1, 2],
    ['nn@v1.0.0', C2, 3]
  ]

  it('leaves the artifact out of show and show NAME', () => {
    const deprecated: Row[] = [...rows, ['rf@deprecated', C1, 4]]
    const registry = registryOf(deprecated)
    expect(Object.keys(show(deprecated))).toEqual(['nn'])
    expect(showArtifact(registry, 'rf', DEFAULT)).toEqual([])
  })

  it('ends with a new registration', () => {
    const again: Row[] = [
      ...rows,
      ['rf@deprecated', C1, 4],
      ['rf@v1.0.1', C3, 5]
    ]
    expect(show(again).rf).toEqual({
      version: 'v1.0.1',
      stage: { prod: 'v1.0.0' },
      registered: true,
      active: true
    })
    const listed = showArtifact(registryOf(again), 'rf', DEFAULT)
    expect(listed.map(v => v.version)).toEqual(['v1.0.1', 'v1.0.0'])
  })

  it('loses to a version event in the same second', () => {
    const tie: Row[] = [...rows, ['rf@deprecated', C1, 2]]
    expect(show(tie).rf).toEqual({
      version: 'v1.0.0',
      stage: { prod: 'v1.0.0' },
      registered: true,
      active: true
    })
  })
})

describe('show: events in the same second', () => {
  it('lets an unassignment beat an assignment', () => {
    const rows: Row[] = [
      ['rf@v1.0.0', C1, 1],
      ['rf#prod#1', C1, 2],
      ['rf#prod!#2', C1, 2]
    ]
    expect(show(rows).rf.stage).toEqual({})
    expect(show(rows, DEFAULT, ['prod']).rf.stage).toEqual({ prod: null })
  })

  it('lets a deregistration beat a registration', () => {
    const rows: Row[] = [
      ['rf@v1.0.0', C1, 1],
      ['rf@v1.0.0!', C1, 1]
    ]
    expect(show(rows).rf).toEqual({
      version: null,
      stage: {},
      registered: true,
      active: true
    })
    expect(showArtifact(registryOf(rows), 'rf', DEFAULT)).toEqual([])
  })

  // GTO orders the holders by version (newest registration first), then by
  // assignment time in a stable sort reversed: of two assignments in one
  // second, the version listed later comes first.
  describe('two assignments of one stage to two versions', () => {
    const assigned: Row[] = [
      ['rf#prod#1', C1, 3],
      ['rf#prod#2', C2, 3]
    ]

    it.each<[string, Row[], VersionSort, number, string]>([
      [
        'v1 registered first',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 2], ...assigned],
        'timestamp',
        1,
        'v1.0.0'
      ],
      [
        'v1 registered first',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 2], ...assigned],
        'semver',
        1,
        'v2.0.0'
      ],
      [
        'v1 registered first',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 2], ...assigned],
        'timestamp',
        -1,
        'v1.0.0, v2.0.0'
      ],
      [
        'v1 registered first',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 2], ...assigned],
        'semver',
        -1,
        'v2.0.0, v1.0.0'
      ],
      [
        'the assignment tags named the other way round',
        [
          ['rf@v1.0.0', C1, 1],
          ['rf@v2.0.0', C2, 2],
          ['rf#prod#2', C1, 3],
          ['rf#prod#1', C2, 3]
        ],
        'timestamp',
        1,
        'v1.0.0'
      ],
      [
        'v2 registered first',
        [['rf@v2.0.0', C2, 1], ['rf@v1.0.0', C1, 2], ...assigned],
        'timestamp',
        1,
        'v2.0.0'
      ],
      [
        'v2 registered first',
        [['rf@v2.0.0', C2, 1], ['rf@v1.0.0', C1, 2], ...assigned],
        'timestamp',
        -1,
        'v2.0.0, v1.0.0'
      ],
      [
        'both registered in one second',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 1], ...assigned],
        'timestamp',
        1,
        'v1.0.0'
      ],
      [
        'both registered in one second',
        [['rf@v1.0.0', C1, 1], ['rf@v2.0.0', C2, 1], ...assigned],
        'semver',
        1,
        'v2.0.0'
      ]
    ])('%s: sort %s, %i per stage, lists %s', (_, rows, sort, n, expected) => {
      expect(holder(rows, 'prod', sort, n)).toBe(expected)
    })
  })
})

describe('show: sort semver versus timestamp', () => {
  it.each<[string, Row[], string, string]>([
    [
      'a rollback to the older version',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v2.0.0', C2, 2],
        ['rf#prod#1', C1, 3],
        ['rf#prod#2', C2, 4],
        ['rf#prod#3', C1, 5]
      ],
      'v1.0.0',
      'v2.0.0'
    ],
    [
      'a release candidate assigned after the release',
      [
        ['rf@v1.0.0-rc.1', C1, 1],
        ['rf@v1.0.0', C2, 2],
        ['rf#prod#1', C2, 3],
        ['rf#prod#2', C1, 4]
      ],
      'v1.0.0-rc.1',
      'v1.0.0'
    ],
    [
      'a hotfix of an older line assigned last',
      [
        ['rf@v1.10.0', C1, 1],
        ['rf@v1.9.1', C2, 2],
        ['rf#prod#1', C1, 3],
        ['rf#prod#2', C2, 4]
      ],
      'v1.9.1',
      'v1.10.0'
    ]
  ])('%s: timestamp %s, semver %s', (_, rows, byTime, bySemver) => {
    expect(holder(rows, 'prod', 'timestamp', 1)).toBe(byTime)
    expect(holder(rows, 'prod', 'semver', 1)).toBe(bySemver)
  })
})

describe('show: versions per stage', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v1.1.0', C2, 2],
    ['rf@v2.0.0', C3, 3],
    ['rf#prod#1', C2, 4],
    ['rf#prod#2', C3, 5],
    ['rf#prod#3', C1, 6],
    ['rf#dev#4', C3, 7]
  ]

  it.each<[VersionSort, number, string | null]>([
    ['timestamp', 1, 'v1.0.0'],
    ['timestamp', 2, 'v1.0.0, v2.0.0'],
    ['timestamp', -1, 'v1.0.0, v2.0.0, v1.1.0'],
    ['timestamp', 0, null],
    ['semver', 1, 'v2.0.0'],
    ['semver', 2, 'v2.0.0, v1.1.0'],
    ['semver', -1, 'v2.0.0, v1.1.0, v1.0.0']
  ])('sort %s, %i per stage: prod lists %s', (sort, n, expected) => {
    expect(holder(rows, 'prod', sort, n)).toBe(expected)
  })

  it('applies the limit to each stage on its own', () => {
    const result = show(rows, { sort: 'timestamp', versionsPerStage: 2 })
    expect(result.rf.stage).toEqual({
      dev: 'v2.0.0',
      prod: 'v1.0.0, v2.0.0'
    })
  })
})

describe('show: an assignment on an unregistered commit', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf#prod#1', C1, 2],
    ['rf#prod#2', C4, 3]
  ]

  it.each<[VersionSort, number, string]>([
    ['timestamp', 1, C4],
    ['timestamp', -1, `${C4}, v1.0.0`],
    ['semver', 1, 'v1.0.0'],
    ['semver', -1, `v1.0.0, ${C4}`]
  ])('names the commit SHA: sort %s, %i per stage', (sort, n, expected) => {
    expect(holder(rows, 'prod', sort, n)).toBe(expected)
  })

  it('lists an artifact with no registered version', () => {
    const only: Row[] = [['nn#dev#1', C3, 1]]
    expect(show(only).nn).toEqual({
      version: null,
      stage: { dev: C3 },
      registered: true,
      active: true
    })
  })

  it('is a discovered version in show NAME', () => {
    const [version] = showArtifact(
      registryOf([['nn#dev#1', C3, 1, 'First']]),
      'nn',
      DEFAULT
    )
    expect(version).toMatchObject({
      artifact: 'nn',
      version: C3,
      commit_hexsha: C3,
      is_active: true,
      discovered: true,
      created_at: at(1),
      author: AUTHOR,
      message: 'First',
      ref: 'nn#dev#1',
      registrations: [],
      deregistrations: []
    })
    expect(version.stages.map(s => [s.stage, s.is_active])).toEqual([
      ['dev', true]
    ])
  })

  it('reports the commit SHA as the version in history', () => {
    const entries = history(registryOf(rows))
    expect(entries[0]).toMatchObject({
      ref: 'rf#prod#2',
      event: 'assignment',
      version: C4,
      stage: 'prod',
      commit: C4
    })
  })
})

describe('show: an assignment made before the registration', () => {
  const rows: Row[] = [
    ['rf#prod#1', C1, 1],
    ['rf@v1.0.0', C1, 2]
  ]

  it('belongs to the version registered at its commit', () => {
    expect(show(rows).rf).toEqual({
      version: 'v1.0.0',
      stage: { prod: 'v1.0.0' },
      registered: true,
      active: true
    })
    const listed = showArtifact(registryOf(rows), 'rf', DEFAULT)
    expect(listed.map(v => [v.version, v.discovered])).toEqual([
      ['v1.0.0', false]
    ])
  })

  it('is reported with that version in history', () => {
    expect(
      history(registryOf(rows)).map(e => [e.ref, e.event, e.version])
    ).toEqual([
      ['rf@v1.0.0', 'registration', 'v1.0.0'],
      ['rf#prod#1', 'assignment', 'v1.0.0']
    ])
  })
})

describe('show NAME', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v1.10.0', C2, 2, 'Bigger trees'],
    ['rf@v1.2.0', C3, 3],
    ['rf#prod#1', C1, 4],
    ['rf#prod#2', C2, 5],
    ['rf#dev#3', C4, 6]
  ]
  const registry = registryOf(rows)

  it('lists active versions by SemVer, unregistered commits last', () => {
    expect(
      showArtifact(registry, 'rf', DEFAULT).map(v => [
        v.version,
        v.stages.map(s => s.stage)
      ])
    ).toEqual([
      ['v1.10.0', ['prod']],
      ['v1.2.0', []],
      ['v1.0.0', []],
      [C4, ['dev']]
    ])
  })

  it('gives each version the stages it is listed for', () => {
    const all = { sort: 'timestamp', versionsPerStage: -1 } as const
    expect(
      showArtifact(registry, 'rf', all).map(v => v.stages.map(s => s.stage))
    ).toEqual([['prod'], [], ['prod'], ['dev']])
  })

  it('describes a version by its registration', () => {
    const [version] = showArtifact(registry, 'rf', DEFAULT)
    expect(version).toMatchObject({
      artifact: 'rf',
      version: 'v1.10.0',
      commit_hexsha: C2,
      is_active: true,
      discovered: false,
      created_at: at(2),
      author: AUTHOR,
      author_email: EMAIL,
      message: 'Bigger trees',
      ref: 'rf@v1.10.0',
      deregistrations: []
    })
    expect(version.registrations.map(e => e.tag)).toEqual(['rf@v1.10.0'])
    expect(version.stages[0].assignments.map(e => e.tag)).toEqual(['rf#prod#2'])
  })

  it('lists nothing for an unknown artifact', () => {
    expect(showArtifact(registry, 'nn', DEFAULT)).toEqual([])
  })
})

describe('stage holders as matrix rows', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C2, 2],
    ['rf#prod#1', C1, 3],
    ['rf#prod#2', C2, 4],
    ['rf#dev#3', C2, 5],
    ['nn@v0.1.0', C3, 6],
    ['nn#prod#1', C3, 7],
    ['nn#prod#2', C3, 8],
    ['old@v1.0.0', C4, 9],
    ['old#prod#1', C4, 10],
    ['old@deprecated', C4, 11]
  ]
  const registry = registryOf(rows)

  it('gives one row per holder, with its newest assignment tag', () => {
    expect(holdersMatrix(registry, DEFAULT)).toEqual([
      {
        name: 'rf',
        version: 'v2.0.0',
        stage: 'dev',
        tag: 'rf#dev#3',
        commit: C2
      },
      {
        name: 'rf',
        version: 'v2.0.0',
        stage: 'prod',
        tag: 'rf#prod#2',
        commit: C2
      },
      {
        name: 'nn',
        version: 'v0.1.0',
        stage: 'prod',
        tag: 'nn#prod#2',
        commit: C3
      }
    ])
  })

  it('follows versions per stage and the artifact filter', () => {
    const all = { sort: 'semver', versionsPerStage: -1 } as const
    expect(
      holdersMatrix(registry, all, 'rf').map(r => `${r.stage}=${r.version}`)
    ).toEqual(['prod=v2.0.0', 'prod=v1.0.0', 'dev=v2.0.0'])
  })
})

describe('history', () => {
  it('lists events newest first with their priorities', () => {
    const rows: Row[] = [
      ['rf@v1.0.0', C1, 1, 'Registering artifact rf version v1.0.0'],
      ['rf#dev#1', C1, 2],
      ['rf#dev!#2', C1, 3],
      ['rf@v1.0.0!', C1, 4],
      ['rf@deprecated', C2, 5]
    ]
    const entries = history(registryOf(rows))
    expect(entries.map(e => [e.event, e.priority, e.version, e.stage])).toEqual(
      [
        ['deprecation', 2, null, null],
        ['deregistration', 4, 'v1.0.0', null],
        ['unassignment', 6, 'v1.0.0', 'dev'],
        ['assignment', 5, 'v1.0.0', 'dev'],
        ['registration', 3, 'v1.0.0', null]
      ]
    )
    expect(entries[0]).toEqual({
      timestamp: at(5),
      artifact: 'rf',
      event: 'deprecation',
      priority: 2,
      version: null,
      stage: null,
      commit: C2,
      author: AUTHOR,
      author_email: EMAIL,
      message: 'Tag rf@deprecated',
      ref: 'rf@deprecated'
    })
    expect(Object.keys(entries[4])).toEqual([
      'timestamp',
      'artifact',
      'event',
      'priority',
      'version',
      'stage',
      'commit',
      'author',
      'author_email',
      'message',
      'ref'
    ])
    expect(entries[4].message).toBe('Registering artifact rf version v1.0.0')
  })

  it.each<[string, Row[], string[]]>([
    [
      'every kind in one second, by priority',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v1.0.0!', C1, 1],
        ['rf#dev#1', C1, 1],
        ['rf#dev!#2', C1, 1],
        ['rf@deprecated', C1, 1]
      ],
      ['rf#dev!#2', 'rf#dev#1', 'rf@v1.0.0!', 'rf@v1.0.0', 'rf@deprecated']
    ],
    [
      'two artifacts registered in one second, the later met first',
      [
        ['a@v1.0.0', C1, 1],
        ['b@v1.0.0', C2, 1]
      ],
      ['b@v1.0.0', 'a@v1.0.0']
    ],
    [
      'two stages of one version assigned in one second',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf#dev#1', C1, 2],
        ['rf#prod#2', C1, 2]
      ],
      ['rf#prod#2', 'rf#dev#1', 'rf@v1.0.0']
    ],
    [
      'two versions registered and assigned in one second',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v2.0.0', C2, 1],
        ['rf#dev#1', C2, 2],
        ['rf#prod#2', C1, 2]
      ],
      ['rf#prod#2', 'rf#dev#1', 'rf@v1.0.0', 'rf@v2.0.0']
    ],
    [
      'an event of another artifact between',
      [
        ['rf@v1.0.0', C1, 1],
        ['nn@v1.0.0', C2, 2],
        ['rf#dev#1', C1, 3]
      ],
      ['rf#dev#1', 'nn@v1.0.0', 'rf@v1.0.0']
    ]
  ])('orders ties by time, then priority: %s', (_, rows, expected) => {
    expect(refs(registryOf(rows))).toEqual(expected)
  })

  it('keeps only the artifact asked for', () => {
    const registry = registryOf([
      ['rf@v1.0.0', C1, 1],
      ['nn@v1.0.0', C2, 2],
      ['rf#dev#1', C1, 3]
    ])
    expect(refs(registry, 'rf')).toEqual(['rf#dev#1', 'rf@v1.0.0'])
    expect(refs(registry, 'cv:seg')).toEqual([])
  })
})

describe('times in history', () => {
  it.each([
    ['+0000', '2023-11-14T22:13:20+00:00'],
    ['+0300', '2023-11-15T01:13:20+03:00'],
    ['-0500', '2023-11-14T17:13:20-05:00'],
    ['+0530', '2023-11-15T03:43:20+05:30'],
    ['-0930', '2023-11-14T12:43:20-09:30'],
    ['+1400', '2023-11-15T12:13:20+14:00']
  ])('isoTime with offset %s gives %s', (offset, expected) => {
    expect(isoTime(T0, offset)).toBe(expected)
    const registry = buildRegistry([annotated(['rf@v1.0.0', C1, 0], offset)])
    expect(history(registry)[0].timestamp).toBe(expected)
  })

  it('orders by the instant, not the local clock', () => {
    // 01:13 in Moscow is earlier than 17:14 the day before in New York.
    const registry = buildRegistry([
      annotated(['rf@v1.0.0', C1, 0], '+0300'),
      annotated(['rf#prod#1', C1, 60], '-0500')
    ])
    expect(history(registry).map(e => e.timestamp)).toEqual([
      '2023-11-14T17:14:20-05:00',
      '2023-11-15T01:13:20+03:00'
    ])
  })
})

describe('an artifact with two versions on one commit', () => {
  const registry = registryOf([
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C1, 2],
    ['rf#prod#1', C1, 3],
    ['nn@v0.1.0', C2, 4],
    ['nn#prod#1', C2, 5]
  ])

  it('makes show and history of the whole registry fail, naming it', () => {
    expect(() => showRegistry(registry, ['prod'], DEFAULT)).toThrow(
      RegistryError
    )
    expect(() => history(registry)).toThrow(/'rf'.*v1\.0\.0.*v2\.0\.0/)
    expect(() => showArtifact(registry, 'rf', DEFAULT)).toThrow(RegistryError)
  })

  it('leaves the other artifacts readable', () => {
    expect(refs(registry, 'nn')).toEqual(['nn#prod#1', 'nn@v0.1.0'])
    const listed = showArtifact(registry, 'nn', DEFAULT)
    expect(listed.map(v => [v.version, v.stages.map(s => s.stage)])).toEqual([
      ['v0.1.0', ['prod']]
    ])
  })
})
