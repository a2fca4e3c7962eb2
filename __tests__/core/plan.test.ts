// GTO's writing rules for register and assign (gto-tags.md §5), planned
// against registries built from synthetic tag records.

import { describe, expect, it } from '@jest/globals'
import type { TagRecord } from '../../src/core/events.js'
import {
  PlanError,
  planAssign,
  planRegister,
  type AssignRequest,
  type PlannedTag,
  type RegisterRequest
} from '../../src/core/plan.js'
import {
  RegistryError,
  artifactOf,
  buildRegistry,
  type Registry
} from '../../src/core/registry.js'
import { formatTag, nextCounter } from '../../src/core/tags.js'

const C1 = '1111111111111111111111111111111111111111'
const C2 = '2222222222222222222222222222222222222222'
const C3 = '3333333333333333333333333333333333333333'
const C4 = '4444444444444444444444444444444444444444'
const C9 = '9999999999999999999999999999999999999999'

/**
 * A repository's tags, created one second apart in the order they are added.
 * Lightweight tags are no events but their names still count.
 */
class Tags {
  private readonly records: TagRecord[] = []
  private time = 1_700_000_000

  add(tag: string, commit: string, message = `${tag}\n`): this {
    this.time += 1
    this.records.push({
      tag,
      annotated: true,
      commit,
      tagger: {
        name: 'Ada',
        email: 'ada@example.com',
        time: this.time,
        offset: '+0000'
      },
      message
    })
    return this
  }

  lightweight(tag: string, commit: string): this {
    this.records.push({ tag, annotated: false, commit, message: '' })
    return this
  }

  /** Creates the planned tags as the git layer would. */
  apply(planned: PlannedTag[]): this {
    for (const p of planned) this.add(p.tag, p.commit, `${p.message}\n`)
    return this
  }

  get registry(): Registry {
    return buildRegistry(this.records)
  }

  get names(): Set<string> {
    return new Set(this.records.map(r => r.tag))
  }
}

function tags(): Tags {
  return new Tags()
}

function register(t: Tags, req: RegisterRequest): PlannedTag {
  return planRegister(t.registry, t.names, req)
}

function assign(t: Tags, req: AssignRequest): PlannedTag[] {
  return planAssign(t.registry, t.names, req)
}

function tagsOf(planned: PlannedTag[]): string[] {
  return planned.map(p => p.tag)
}

describe('planRegister', () => {
  it('registers v0.0.1 first, as a simple tag with GTO message', () => {
    expect(register(tags(), { name: 'rf', commit: C1 })).toEqual({
      action: 'register',
      tag: 'rf@v0.0.1',
      name: 'rf',
      version: 'v0.0.1',
      counter: undefined,
      commit: C1,
      message: 'Registering artifact rf version v0.0.1'
    })
  })

  it('writes dir:name as dir=name in the tag, not in the message', () => {
    const planned = register(tags(), { name: 'cv:seg', commit: C1 })
    expect(planned.tag).toBe('cv=seg@v0.0.1')
    expect(planned.message).toBe('Registering artifact cv:seg version v0.0.1')
  })

  it('uses the counter form with simple: false', () => {
    const t = tags().add('rf@v0.0.1', C1).add('rf#dev#4', C1)
    const planned = register(t, { name: 'rf', commit: C2, simple: false })
    expect(planned.tag).toBe('rf@v0.0.2#5')
    expect(planned.counter).toBe(5)
  })

  describe('bumps the highest active registered version', () => {
    // Registered out of order: the highest is not the newest.
    const t = tags()
      .add('rf@v0.0.1', C1)
      .add('rf@v0.3.0', C2)
      .add('rf@v0.2.0', C3)

    it.each([
      [undefined, 'v0.3.1'],
      ['patch', 'v0.3.1'],
      ['minor', 'v0.4.0'],
      ['major', 'v1.0.0']
    ] as const)('bump %s gives %s', (bump, version) => {
      const planned = register(t, { name: 'rf', commit: C4, bump })
      expect(planned.version).toBe(version)
      expect(planned.tag).toBe(`rf@${version}`)
    })
  })

  it('skips a deregistered version when bumping', () => {
    const t = tags()
      .add('rf@v0.1.0', C1)
      .add('rf@v0.2.0', C2)
      .add('rf@v0.2.0!', C2)
    expect(register(t, { name: 'rf', commit: C3 }).version).toBe('v0.1.1')
  })

  it('counts a version registered again after deregistration', () => {
    const t = tags()
      .add('rf@v0.1.0', C1)
      .add('rf@v0.2.0', C2)
      .add('rf@v0.2.0!', C2)
      .add('rf@v0.2.0#1', C2)
    expect(register(t, { name: 'rf', commit: C3 }).version).toBe('v0.2.1')
  })

  it('drops prerelease and build when bumping', () => {
    const t = tags().add('rf@v1.2.3-rc.1+build.5', C1)
    expect(register(t, { name: 'rf', commit: C2 }).version).toBe('v1.2.4')
  })

  it('ignores stages on unregistered commits and other artifacts', () => {
    const t = tags()
      .add('rf#dev#1', C1)
      .add('nn@v2.0.0', C2)
      .add('cv=rf@v3.0.0', C2)
    expect(register(t, { name: 'rf', commit: C1 }).tag).toBe('rf@v0.0.1')
    expect(register(t, { name: 'rf', commit: C3 }).tag).toBe('rf@v0.0.1')
  })

  it('refuses a bump on the first version', () => {
    expect(() =>
      register(tags(), { name: 'rf', commit: C1, bump: 'patch' })
    ).toThrow(PlanError)
    expect(() =>
      register(tags(), { name: 'rf', commit: C1, bump: 'minor' })
    ).toThrow(/no registered version.*bump: minor/)
  })

  it('refuses a bump when no version is active, as GTO does', () => {
    const t = tags().add('rf@v0.0.1', C1).add('rf@v0.0.1!', C1)
    expect(() =>
      register(t, { name: 'rf', commit: C2, bump: 'patch' })
    ).toThrow(PlanError)
  })

  it('registers a given version as is', () => {
    const t = tags().add('rf@v1.0.0', C1)
    expect(register(t, { name: 'rf', commit: C2, version: 'v5.0.0' }).tag).toBe(
      'rf@v5.0.0'
    )
    // A lower version than the highest is allowed too.
    expect(register(t, { name: 'rf', commit: C2, version: 'v0.0.5' }).tag).toBe(
      'rf@v0.0.5'
    )
  })

  it.each([
    ['active', tags().add('rf@v1.0.0', C1)],
    ['deregistered', tags().add('rf@v1.0.0', C1).add('rf@v1.0.0!', C1)]
  ])('refuses a version %s at another commit', (_, t) => {
    const req = { name: 'rf', commit: C2, version: 'v1.0.0' }
    expect(() => register(t, req)).toThrow(PlanError)
    expect(() => register(t, req)).toThrow(
      new RegExp(`v1\\.0\\.0 of 'rf' is already registered at commit ${C1}`)
    )
    expect(() => register(t, { ...req, force: true })).toThrow(PlanError)
  })

  describe('a commit that already holds an active version', () => {
    const t = tags().add('rf@v0.0.1', C1)

    it('refuses to register there again without force', () => {
      expect(() => register(t, { name: 'rf', commit: C1 })).toThrow(
        /already has version v0\.0\.1 of 'rf'/
      )
      expect(() =>
        register(t, { name: 'rf', commit: C1, version: 'v0.0.1' })
      ).toThrow(PlanError)
    })

    it('registers the same version again with force', () => {
      const planned = register(t, {
        name: 'rf',
        commit: C1,
        force: true,
        simple: false
      })
      expect(planned.tag).toBe('rf@v0.0.1#1')
      expect(planned.version).toBe('v0.0.1')
      expect(planned.commit).toBe(C1)
    })

    it('still refuses a simple tag that exists already', () => {
      expect(() =>
        register(t, { name: 'rf', commit: C1, force: true })
      ).toThrow(/Tag rf@v0\.0\.1 already exists/)
    })

    it('refuses a different version, even with force', () => {
      const req = { name: 'rf', commit: C1, version: 'v0.0.2', force: true }
      expect(() => register(t, req)).toThrow(PlanError)
      expect(() => register(t, req)).toThrow(/only v0\.0\.1 can be registered/)
    })
  })

  describe('a commit whose version was deregistered', () => {
    const t = tags().add('rf@v0.0.1', C1).add('rf@v0.0.1!', C1)

    it('registers that version again without force', () => {
      const planned = register(t, { name: 'rf', commit: C1, simple: false })
      expect(planned.tag).toBe('rf@v0.0.1#1')
      expect(planned.version).toBe('v0.0.1')
    })

    it('refuses a different version', () => {
      expect(() =>
        register(t, { name: 'rf', commit: C1, version: 'v0.0.2' })
      ).toThrow(/only v0\.0\.1 can be registered/)
    })
  })

  it('refuses a tag name that exists, lightweight or not', () => {
    const t = tags().lightweight('rf@v0.0.1', C9)
    expect(() => register(t, { name: 'rf', commit: C1 })).toThrow(
      /Tag rf@v0\.0\.1 already exists/
    )
  })

  it('counts lightweight tags for the counter', () => {
    const t = tags().add('rf@v0.0.1#2', C1).lightweight('rf#dev#7', C9)
    expect(register(t, { name: 'rf', commit: C2, simple: false }).tag).toBe(
      'rf@v0.0.2#8'
    )
  })

  it('replaces the whole message with a custom one', () => {
    const planned = register(tags(), {
      name: 'rf',
      commit: C1,
      message: 'Release for the May review'
    })
    expect(planned.message).toBe('Release for the May review')
  })
})

describe('planAssign by version', () => {
  const t = tags()
    .add('rf@v0.0.1', C1)
    .add('rf@v0.0.2', C2)
    .add('rf@v0.0.3', C3)
    .add('rf@v0.0.3!', C3)

  it('tags the commit of a registered version, counter form', () => {
    expect(assign(t, { name: 'rf', stage: 'prod', version: 'v0.0.1' })).toEqual(
      [
        {
          action: 'assign',
          tag: 'rf#prod#1',
          name: 'rf',
          version: 'v0.0.1',
          stage: 'prod',
          counter: 1,
          commit: C1,
          message: 'Assigning stage prod to artifact rf version v0.0.1'
        }
      ]
    )
  })

  it('finds the commit of a deregistered version', () => {
    const [planned] = assign(t, { name: 'rf', stage: 'dev', version: 'v0.0.3' })
    expect(planned.commit).toBe(C3)
    expect(planned.tag).toBe('rf#dev#1')
    expect(planned.version).toBe('v0.0.3')
  })

  it.each([
    ['v9.9.9', 'rf'],
    ['v0.0.1', 'nn'],
    ['v0.0.1', 'cv:rf']
  ])('refuses unknown version %s of %s', (version, name) => {
    expect(() => assign(t, { name, stage: 'prod', version })).toThrow(PlanError)
    expect(() => assign(t, { name, stage: 'prod', version })).toThrow(
      new RegExp(`Version ${version.replace(/\./g, '\\.')} of '${name}'`)
    )
  })

  it('refuses an unregistered commit SHA as a version', () => {
    const u = tags().add('rf#dev#1', C1)
    expect(() => assign(u, { name: 'rf', stage: 'prod', version: C1 })).toThrow(
      PlanError
    )
  })

  it('continues the counter from every tag of the artifact', () => {
    const u = tags()
      .add('rf@v0.0.1', C1)
      .add('rf#dev#3', C1)
      .add('rf#dev!#4', C1)
      .add('nn#prod#20', C2)
    expect(
      tagsOf(assign(u, { name: 'rf', stage: 'prod', version: 'v0.0.1' }))
    ).toEqual(['rf#prod#5'])
  })
})

describe('planAssign by commit', () => {
  it('registers the commit first, simple tag, with GTO messages', () => {
    expect(assign(tags(), { name: 'rf', stage: 'dev', commit: C1 })).toEqual([
      {
        action: 'register',
        tag: 'rf@v0.0.1',
        name: 'rf',
        version: 'v0.0.1',
        counter: undefined,
        commit: C1,
        message: 'Registering artifact rf version v0.0.1'
      },
      {
        action: 'assign',
        tag: 'rf#dev#1',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        counter: 1,
        commit: C1,
        message: 'Assigning stage dev to artifact rf version v0.0.1'
      }
    ])
  })

  it('writes dir:name as dir=name in both tags', () => {
    const planned = assign(tags(), {
      name: 'cv:pool-segmentation',
      stage: 'prod',
      commit: C1
    })
    expect(tagsOf(planned)).toEqual([
      'cv=pool-segmentation@v0.0.1',
      'cv=pool-segmentation#prod#1'
    ])
    expect(planned[1].message).toBe(
      'Assigning stage prod to artifact cv:pool-segmentation version v0.0.1'
    )
  })

  describe('picks the version to register', () => {
    const t = tags().add('rf@v0.1.0', C1).add('rf#prod#3', C1)

    it.each([
      [{}, ['rf@v0.1.1', 'rf#dev#4']],
      [{ bump: 'minor' }, ['rf@v0.2.0', 'rf#dev#4']],
      [{ bump: 'major' }, ['rf@v1.0.0', 'rf#dev#4']],
      [{ registerVersion: 'v3.0.0-rc.1' }, ['rf@v3.0.0-rc.1', 'rf#dev#4']]
    ] as [Partial<AssignRequest>, string[]][])('%j gives %j', (extra, want) => {
      const planned = assign(t, {
        name: 'rf',
        stage: 'dev',
        commit: C2,
        ...extra
      })
      expect(tagsOf(planned)).toEqual(want)
      expect(planned.map(p => p.commit)).toEqual([C2, C2])
    })

    it('refuses a version registered at another commit', () => {
      const req = { name: 'rf', stage: 'dev', commit: C2 }
      expect(() => assign(t, { ...req, registerVersion: 'v0.1.0' })).toThrow(
        /already registered at commit/
      )
    })
  })

  it('refuses a bump on the first version', () => {
    expect(() =>
      assign(tags(), { name: 'rf', stage: 'dev', commit: C1, bump: 'patch' })
    ).toThrow(PlanError)
  })

  describe('a commit that has a version', () => {
    const t = tags().add('rf@v0.0.1', C1).add('rf@v0.0.2', C2)

    it('assigns that version without registering', () => {
      const planned = assign(t, { name: 'rf', stage: 'dev', commit: C1 })
      expect(tagsOf(planned)).toEqual(['rf#dev#1'])
      expect(planned[0].version).toBe('v0.0.1')
      expect(planned[0].message).toBe(
        'Assigning stage dev to artifact rf version v0.0.1'
      )
    })

    it('refuses a different version given with it', () => {
      const req = { name: 'rf', stage: 'dev', commit: C1 }
      expect(() => assign(t, { ...req, registerVersion: 'v0.0.2' })).toThrow(
        PlanError
      )
      expect(() => assign(t, { ...req, registerVersion: 'v0.0.9' })).toThrow(
        /already has version v0\.0\.1/
      )
    })

    it('accepts the same version given with it', () => {
      const planned = assign(t, {
        name: 'rf',
        stage: 'dev',
        commit: C1,
        registerVersion: 'v0.0.1'
      })
      expect(tagsOf(planned)).toEqual(['rf#dev#1'])
    })

    it('assigns a deregistered version there without registering', () => {
      const u = tags().add('rf@v0.0.1', C1).add('rf@v0.0.1!', C1)
      const planned = assign(u, { name: 'rf', stage: 'dev', commit: C1 })
      expect(tagsOf(planned)).toEqual(['rf#dev#1'])
      expect(planned[0].version).toBe('v0.0.1')
    })
  })

  describe('with skip-registration', () => {
    it('uses the commit SHA as the version and registers nothing', () => {
      expect(
        assign(tags(), {
          name: 'rf',
          stage: 'dev',
          commit: C1,
          skipRegistration: true
        })
      ).toEqual([
        {
          action: 'assign',
          tag: 'rf#dev#1',
          name: 'rf',
          version: C1,
          stage: 'dev',
          counter: 1,
          commit: C1,
          message: `Assigning stage dev to artifact rf version ${C1}`
        }
      ])
    })

    it('assigns a stage the unregistered commit already holds', () => {
      const t = tags().add('rf#dev#1', C1)
      const planned = assign(t, {
        name: 'rf',
        stage: 'dev',
        commit: C1,
        skipRegistration: true
      })
      expect(tagsOf(planned)).toEqual(['rf#dev#2'])
    })

    it('still checks the stage of a registered version at the commit', () => {
      const t = tags().add('rf@v0.0.1', C1).add('rf#dev#1', C1)
      const req = { name: 'rf', stage: 'dev', commit: C1 }
      expect(() => assign(t, { ...req, skipRegistration: true })).toThrow(
        /already in stage 'dev'/
      )
      expect(
        tagsOf(assign(t, { ...req, stage: 'prod', skipRegistration: true }))
      ).toEqual(['rf#prod#2'])
    })

    it('refuses a version to register together with it', () => {
      expect(() =>
        assign(tags(), {
          name: 'rf',
          stage: 'dev',
          commit: C1,
          registerVersion: 'v1.0.0',
          skipRegistration: true
        })
      ).toThrow(PlanError)
    })
  })
})

describe('planAssign: a stage the version already holds', () => {
  const t = tags().add('rf@v0.0.1', C1).add('rf#prod#1', C1)

  it.each([
    ['by version', { version: 'v0.0.1' }],
    ['by commit', { commit: C1 }]
  ])('is an error without force (%s)', (_, target) => {
    const req = { name: 'rf', stage: 'prod', ...target }
    expect(() => assign(t, req)).toThrow(PlanError)
    expect(() => assign(t, req)).toThrow(
      "Version v0.0.1 of 'rf' is already in stage 'prod'"
    )
  })

  it('is assigned again with force', () => {
    const planned = assign(t, {
      name: 'rf',
      stage: 'prod',
      version: 'v0.0.1',
      force: true
    })
    expect(tagsOf(planned)).toEqual(['rf#prod#2'])
  })

  it('is free again once unassigned', () => {
    const u = tags()
      .add('rf@v0.0.1', C1)
      .add('rf#prod#1', C1)
      .add('rf#prod!#2', C1)
    expect(
      tagsOf(assign(u, { name: 'rf', stage: 'prod', version: 'v0.0.1' }))
    ).toEqual(['rf#prod#3'])
  })

  it('does not block another stage or another version', () => {
    const u = tags()
      .add('rf@v0.0.1', C1)
      .add('rf#prod#1', C1)
      .add('rf@v0.0.2', C2)
    expect(
      tagsOf(assign(u, { name: 'rf', stage: 'dev', version: 'v0.0.1' }))
    ).toEqual(['rf#dev#2'])
    expect(
      tagsOf(assign(u, { name: 'rf', stage: 'prod', version: 'v0.0.2' }))
    ).toEqual(['rf#prod#2'])
  })

  it('is not held through a lightweight tag', () => {
    const u = tags().add('rf@v0.0.1', C1).lightweight('rf#prod#7', C1)
    expect(
      tagsOf(assign(u, { name: 'rf', stage: 'prod', version: 'v0.0.1' }))
    ).toEqual(['rf#prod#8'])
  })
})

describe('planAssign: stages allowed by .gto', () => {
  const t = tags().add('rf@v0.0.1', C1)
  const req = { name: 'rf', version: 'v0.0.1' }

  it.each([['qa'], ['Prod'], ['prod2']])(
    'refuses %s, naming the allowed stages',
    stage => {
      const planned = () =>
        assign(t, { ...req, stage, allowedStages: ['dev', 'prod'] })
      expect(planned).toThrow(PlanError)
      expect(planned).toThrow(
        `Stage '${stage}' is not allowed: .gto lists dev, prod`
      )
    }
  )

  it('refuses every stage when .gto lists none', () => {
    expect(() =>
      assign(t, { ...req, stage: 'dev', allowedStages: [] })
    ).toThrow(/Stage 'dev' is not allowed/)
  })

  it('refuses before registering anything', () => {
    expect(() =>
      assign(tags(), {
        name: 'rf',
        stage: 'qa',
        commit: C1,
        allowedStages: ['prod']
      })
    ).toThrow(/Stage 'qa' is not allowed: \.gto lists prod/)
  })

  it('accepts a listed stage', () => {
    const planned = assign(t, {
      ...req,
      stage: 'prod',
      allowedStages: ['dev', 'prod']
    })
    expect(tagsOf(planned)).toEqual(['rf#prod#1'])
  })

  it('accepts any stage when .gto lists no stages', () => {
    expect(tagsOf(assign(t, { ...req, stage: 'st/age' }))).toEqual([
      'rf#st/age#1'
    ])
  })
})

describe('planAssign: tag form and message', () => {
  it('writes name#stage with simple: true', () => {
    const planned = assign(tags(), {
      name: 'rf',
      stage: 'prod',
      commit: C1,
      simple: true
    })
    expect(tagsOf(planned)).toEqual(['rf@v0.0.1', 'rf#prod'])
    expect(planned[1].counter).toBeUndefined()
  })

  it('refuses a simple tag name that exists', () => {
    const t = tags().add('rf@v0.0.1', C1).lightweight('rf#prod', C2)
    expect(() =>
      assign(t, { name: 'rf', stage: 'prod', version: 'v0.0.1', simple: true })
    ).toThrow(/Tag rf#prod already exists/)
  })

  it('replaces the assignment text with a custom message only', () => {
    const planned = assign(tags(), {
      name: 'rf',
      stage: 'prod',
      commit: C1,
      message: 'Ship it'
    })
    expect(planned.map(p => p.message)).toEqual([
      'Registering artifact rf version v0.0.1',
      'Ship it'
    ])
  })

  it('counts cv:m and m separately', () => {
    const t = tags().add('m@v0.0.1', C1).add('m#dev#5', C1)
    expect(
      tagsOf(assign(t, { name: 'cv:m', stage: 'dev', commit: C1 }))
    ).toEqual(['cv=m@v0.0.1', 'cv=m#dev#1'])
    expect(tagsOf(assign(t, { name: 'm', stage: 'prod', commit: C1 }))).toEqual(
      ['m#prod#6']
    )
  })
})

describe('the §3 example, planned step by step', () => {
  it('gives rf@v0.0.1, rf#dev#1, rf#prod#2 and then rf#dev!#3', () => {
    const t = tags()

    const registration = register(t, { name: 'rf', commit: C1 })
    t.apply([registration])
    const dev = assign(t, { name: 'rf', stage: 'dev', version: 'v0.0.1' })
    t.apply(dev)
    const prod = assign(t, { name: 'rf', stage: 'prod', version: 'v0.0.1' })
    t.apply(prod)
    // Unassignment is planned elsewhere; its counter follows the same rule.
    const unassign = formatTag({
      action: 'unassign',
      name: 'rf',
      stage: 'dev',
      counter: nextCounter(t.names, 'rf')
    })

    expect([
      registration.tag,
      ...tagsOf(dev),
      ...tagsOf(prod),
      unassign
    ]).toEqual(['rf@v0.0.1', 'rf#dev#1', 'rf#prod#2', 'rf#dev!#3'])
  })
})

describe('two versions of one artifact on one commit', () => {
  const t = tags()
    .add('rf@v0.0.1', C1)
    .add('rf@v0.0.2', C1)
    .add('nn@v1.0.0', C2)
  const both = /'rf'.*v0\.0\.1.*v0\.0\.2/

  it('makes artifactOf fail, naming the artifact and both versions', () => {
    expect(() => artifactOf(t.registry, 'rf')).toThrow(RegistryError)
    expect(() => artifactOf(t.registry, 'rf')).toThrow(both)
  })

  it('makes planning on that artifact fail', () => {
    expect(() => register(t, { name: 'rf', commit: C3 })).toThrow(both)
    expect(() =>
      assign(t, { name: 'rf', stage: 'prod', version: 'v0.0.1' })
    ).toThrow(both)
    expect(() => assign(t, { name: 'rf', stage: 'prod', commit: C3 })).toThrow(
      both
    )
  })

  it('leaves other artifacts working', () => {
    expect(register(t, { name: 'nn', commit: C3 }).tag).toBe('nn@v1.0.1')
    expect(
      tagsOf(assign(t, { name: 'nn', stage: 'prod', version: 'v1.0.0' }))
    ).toEqual(['nn#prod#1'])
  })
})
