// The registry state built from synthetic tag records (gto-tags.md §6): which
// versions, stages and artifacts are active, and ties resolved as GTO does.

import { describe, expect, it } from '@jest/globals'
import {
  RegistryError,
  activeStages,
  artifactOf,
  findVersion,
  latestActiveVersion,
  versionAtCommit,
  type ArtifactState
} from '../../src/core/registry.js'
import {
  C1,
  C2,
  C3,
  C4,
  lightweight,
  registryOf,
  type Row
} from '../helpers/tag-records.js'

/** What a test looks at: each version's commit, activity and active stages. */
function summary(artifact: ArtifactState | undefined) {
  if (!artifact) return undefined
  return {
    active: artifact.active,
    versions: artifact.versions.map(v => ({
      version: v.version,
      commit: v.commit,
      active: v.active,
      stages: activeStages(v)
    }))
  }
}

function rf(rows: readonly Row[]): ArtifactState {
  return artifactOf(registryOf(rows), 'rf') as ArtifactState
}

describe('what counts as an event', () => {
  it('ignores lightweight tags, even ones named like GTO tags', () => {
    const registry = registryOf(
      [['nn@v1.0.0', C1, 1]],
      [lightweight('rf@v1.0.0', C1), lightweight('nn#prod#1', C1)]
    )
    expect([...registry.artifacts.keys()]).toEqual(['nn'])
    expect(summary(artifactOf(registry, 'nn'))).toEqual({
      active: true,
      versions: [{ version: 'v1.0.0', commit: C1, active: true, stages: [] }]
    })
  })

  it('ignores annotated tags that are no GTO tags', () => {
    const registry = registryOf([
      ['v1.0.0', C1, 1],
      ['rf@latest', C1, 2],
      ['rf@v1', C1, 3],
      ['rf@created', C1, 4]
    ])
    expect(registry.artifacts.size).toBe(0)
  })
})

describe('order of application', () => {
  it('takes deprecations, then (de)registrations, then stages', () => {
    const artifact = rf([
      ['rf#dev#1', C1, 1],
      ['rf@v1.0.0', C1, 5],
      ['rf@deprecated', C1, 9]
    ])
    expect(artifact.events.map(e => e.tag)).toEqual([
      'rf@deprecated',
      'rf@v1.0.0',
      'rf#dev#1'
    ])
  })

  it('orders a group by tagger time, then by tag name', () => {
    const artifact = rf([
      ['rf@v2.0.0', C2, 7],
      ['rf@v1.0.0!', C1, 3],
      ['rf@v1.0.0', C1, 3],
      ['rf@v0.1.0', C3, 1]
    ])
    expect(artifact.events.map(e => e.tag)).toEqual([
      'rf@v0.1.0',
      'rf@v1.0.0',
      'rf@v1.0.0!',
      'rf@v2.0.0'
    ])
  })

  it('lists artifacts in the order their first event is applied', () => {
    const registry = registryOf([
      ['b#dev#1', C1, 1],
      ['c@v1.0.0', C1, 2],
      ['a@deprecated', C1, 3]
    ])
    expect([...registry.artifacts.keys()]).toEqual(['a', 'c', 'b'])
  })
})

describe('version activity', () => {
  it.each<[string, Row[], boolean]>([
    ['registered', [['rf@v1.0.0', C1, 1]], true],
    [
      'deregistered later',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v1.0.0!', C1, 2]
      ],
      false
    ],
    [
      'registered again after deregistration',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v1.0.0!', C1, 2],
        ['rf@v1.0.0#3', C1, 3]
      ],
      true
    ],
    [
      'deregistered in the same second as registered',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v1.0.0!', C1, 1]
      ],
      false
    ],
    [
      // The deregistration's name sorts first, yet it still wins the tie.
      'registered again in the same second as a deregistration',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v1.0.0!#2', C1, 5],
        ['rf@v1.0.0#3', C1, 5]
      ],
      false
    ],
    ['only deregistered', [['rf@v1.0.0!', C1, 1]], false]
  ])('%s', (_, rows, active) => {
    const version = findVersion(rf(rows), 'v1.0.0')
    expect(version?.commit).toBe(C1)
    expect(version?.active).toBe(active)
  })
})

describe('stage activity', () => {
  const registered: Row = ['rf@v1.0.0', C1, 0]

  it.each<[string, Row[], string[]]>([
    ['assigned', [['rf#prod#1', C1, 1]], ['prod']],
    [
      'unassigned later',
      [
        ['rf#prod#1', C1, 1],
        ['rf#prod!#2', C1, 2]
      ],
      []
    ],
    [
      'assigned again after unassignment',
      [
        ['rf#prod#1', C1, 1],
        ['rf#prod!#2', C1, 2],
        ['rf#prod#3', C1, 3]
      ],
      ['prod']
    ],
    [
      'unassigned in the same second as assigned',
      [
        ['rf#prod#1', C1, 1],
        ['rf#prod!#2', C1, 1]
      ],
      []
    ],
    [
      // `rf#prod!#4` sorts before `rf#prod#5`: the kind decides, not the name.
      'assigned with a higher counter in the same second as unassigned',
      [
        ['rf#prod#1', C1, 1],
        ['rf#prod!#4', C1, 2],
        ['rf#prod#5', C1, 2]
      ],
      []
    ],
    [
      'one of two stages unassigned',
      [
        ['rf#staging#1', C1, 1],
        ['rf#prod#2', C1, 2],
        ['rf#staging!#3', C1, 3]
      ],
      ['prod']
    ],
    [
      'two stages, in the order first assigned',
      [
        ['rf#staging#1', C1, 2],
        ['rf#prod#2', C1, 1]
      ],
      ['prod', 'staging']
    ]
  ])('%s', (_, rows, stages) => {
    const version = findVersion(rf([registered, ...rows]), 'v1.0.0')
    expect(activeStages(version!)).toEqual(stages)
  })

  it('keeps stages of a deregistered version, which is inactive', () => {
    const artifact = rf([
      registered,
      ['rf#prod#1', C1, 1],
      ['rf@v1.0.0!', C1, 2]
    ])
    expect(summary(artifact)?.versions).toEqual([
      { version: 'v1.0.0', commit: C1, active: false, stages: ['prod'] }
    ])
  })
})

describe('artifact activity', () => {
  it.each<[string, Row[], boolean]>([
    ['registered', [['rf@v1.0.0', C1, 1]], true],
    [
      'deprecated after registration',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 2]
      ],
      false
    ],
    [
      'registered again after deprecation',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 2],
        ['rf@v1.0.1', C2, 3]
      ],
      true
    ],
    [
      'assigned a stage after deprecation',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 2],
        ['rf#prod#3', C1, 3]
      ],
      true
    ],
    [
      'deregistered after deprecation',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 2],
        ['rf@v1.0.0!', C1, 3]
      ],
      true
    ],
    [
      // A deprecation in the same second as a version event loses.
      'deprecated in the same second as registered',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 1]
      ],
      true
    ],
    [
      'deprecated in the same second as a stage was assigned',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf#prod#1', C1, 2],
        ['rf@deprecated#2', C1, 2]
      ],
      true
    ],
    [
      'deprecated a second after the last event',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf#prod#1', C1, 2],
        ['rf@deprecated#2', C1, 3]
      ],
      false
    ],
    ['only deprecated', [['rf@deprecated', C1, 1]], false]
  ])('%s', (_, rows, active) => {
    expect(rf(rows).active).toBe(active)
  })

  it('keeps versions active in a deprecated artifact', () => {
    const artifact = rf([
      ['rf@v1.0.0', C1, 1],
      ['rf#prod#1', C1, 2],
      ['rf@deprecated', C2, 3]
    ])
    expect(summary(artifact)).toEqual({
      active: false,
      versions: [
        { version: 'v1.0.0', commit: C1, active: true, stages: ['prod'] }
      ]
    })
  })
})

describe('the version an assignment belongs to', () => {
  it('is the commit SHA on an unregistered commit', () => {
    const artifact = rf([
      ['rf@v1.0.0', C1, 1],
      ['rf#prod#1', C2, 2]
    ])
    expect(summary(artifact)?.versions).toEqual([
      { version: 'v1.0.0', commit: C1, active: true, stages: [] },
      { version: C2, commit: C2, active: true, stages: ['prod'] }
    ])
    const discovered = artifact.versions[1]
    expect(discovered.discovered).toBe(true)
    expect(artifact.events[1]).toMatchObject({ tag: 'rf#prod#1', version: C2 })
  })

  // GTO itself makes a new unregistered version for every stage tag on such
  // a commit, so there the unassignment never takes effect; this follows the
  // rule of gto-tags.md §6.3 instead.
  it('gathers every stage tag on that commit in one version', () => {
    const artifact = rf([
      ['rf#dev#1', C2, 1],
      ['rf#prod#2', C2, 2],
      ['rf#dev!#3', C2, 3]
    ])
    expect(summary(artifact)?.versions).toEqual([
      { version: C2, commit: C2, active: true, stages: ['prod'] }
    ])
  })

  it('is never found as a registered version', () => {
    const artifact = rf([['rf#prod#1', C2, 1]])
    expect(findVersion(artifact, C2)).toBeUndefined()
    expect(versionAtCommit(artifact, C2)).toBeUndefined()
    expect(latestActiveVersion(artifact)).toBeUndefined()
  })

  it('is the version registered later at the same commit', () => {
    const artifact = rf([
      ['rf#dev#1', C1, 1],
      ['rf#prod#2', C1, 2],
      ['rf@v1.0.0', C1, 3]
    ])
    expect(summary(artifact)?.versions).toEqual([
      { version: 'v1.0.0', commit: C1, active: true, stages: ['dev', 'prod'] }
    ])
    expect(artifact.versions[0].discovered).toBe(false)
    expect(artifact.events.map(e => [e.tag, e.version])).toEqual([
      ['rf@v1.0.0', 'v1.0.0'],
      ['rf#dev#1', 'v1.0.0'],
      ['rf#prod#2', 'v1.0.0']
    ])
  })

  it('is a deregistered version at that commit', () => {
    const artifact = rf([
      ['rf@v1.0.0', C1, 1],
      ['rf@v1.0.0!', C1, 2],
      ['rf#dev#1', C1, 3]
    ])
    expect(summary(artifact)?.versions).toEqual([
      { version: 'v1.0.0', commit: C1, active: false, stages: ['dev'] }
    ])
  })
})

describe('two versions of one artifact on one commit', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C1, 2],
    ['rf#prod#1', C1, 3],
    ['nn@v0.1.0', C2, 4],
    ['nn#prod#1', C2, 5]
  ]

  it('is an error naming the artifact and both versions', () => {
    const registry = registryOf(rows)
    expect(() => artifactOf(registry, 'rf')).toThrow(RegistryError)
    expect(() => artifactOf(registry, 'rf')).toThrow(/'rf'.*v1\.0\.0.*v2\.0\.0/)
    expect(registry.artifacts.get('rf')?.problem).toContain(C1)
  })

  it('is an error even without a stage on that commit', () => {
    const registry = registryOf(rows.filter(r => r[0] !== 'rf#prod#1'))
    expect(() => artifactOf(registry, 'rf')).toThrow(/v1\.0\.0.*v2\.0\.0/)
  })

  it('leaves the other artifacts readable', () => {
    const registry = registryOf(rows)
    expect(summary(artifactOf(registry, 'nn'))).toEqual({
      active: true,
      versions: [
        { version: 'v0.1.0', commit: C2, active: true, stages: ['prod'] }
      ]
    })
  })

  it('allows one version registered twice at its commit', () => {
    const artifact = rf([
      ['rf@v1.0.0', C1, 1],
      ['rf@v1.0.0!', C1, 2],
      ['rf@v1.0.0#3', C1, 3]
    ])
    expect(artifact.problem).toBeUndefined()
    expect(artifact.versions[0].registrations.map(e => e.tag)).toEqual([
      'rf@v1.0.0',
      'rf@v1.0.0#3'
    ])
  })
})

describe('queries', () => {
  const artifact = rf([
    ['rf@v1.2.0', C1, 1],
    ['rf@v2.0.0', C2, 2],
    ['rf@v1.10.0', C3, 3],
    ['rf@v2.0.0!', C2, 4],
    ['rf#prod#1', C4, 5]
  ])

  it('finds a version by name, deregistered ones too', () => {
    expect(findVersion(artifact, 'v2.0.0')?.commit).toBe(C2)
    expect(findVersion(artifact, 'v9.9.9')).toBeUndefined()
    expect(findVersion(undefined, 'v1.2.0')).toBeUndefined()
  })

  it('finds the version registered at a commit', () => {
    expect(versionAtCommit(artifact, C3)?.version).toBe('v1.10.0')
    expect(versionAtCommit(artifact, C4)).toBeUndefined()
  })

  it('takes the highest active registered version, by SemVer', () => {
    expect(latestActiveVersion(artifact)?.version).toBe('v1.10.0')
  })

  it('lists registered versions first, then unregistered commits', () => {
    expect(artifact.versions.map(v => v.version)).toEqual([
      'v1.2.0',
      'v2.0.0',
      'v1.10.0',
      C4
    ])
  })

  it('reports an unknown artifact as undefined', () => {
    expect(artifactOf(registryOf([]), 'rf')).toBeUndefined()
  })
})
