// Reading `.gto` and `dvc.yaml`: what GTO accepts is accepted, what it
// refuses is a clear error naming the file.

import { describe, expect, it } from '@jest/globals'
import { dvcYamlPath, readAnnotation } from '../../src/config/dvc-yaml.js'
import { parseGtoConfig } from '../../src/config/gto-config.js'

describe('parseGtoConfig', () => {
  it.each([
    ['', {}],
    ['stages: [dev, prod]\n', { stages: ['dev', 'prod'] }],
    ['stages: []\ntypes: [model]\n', { stages: [], types: ['model'] }],
    ['stages: null\n', {}],
    // GTO's own settings are allowed, in any case, and change nothing here.
    ['stages: [dev, qa]\nenrichments: []\n', { stages: ['dev', 'qa'] }],
    ['STAGES: [dev]\nEMOJIS: false\nlog_level: DEBUG\n', { stages: ['dev'] }],
    ['index: artifacts.yaml\nautoload_enrichments: false\n', {}]
  ])('reads %j', (text, expected) => {
    expect(parseGtoConfig(text)).toEqual(expected)
  })

  it.each([
    ['stages: [dev]\nfoo: 1\n', /\.gto .*'foo'.*unknown key 'foo'/],
    ['stages: ["a b"]\n', /\.gto .*'stages\.0'.*not a valid name/],
    ['stages: dev\n', /\.gto .*'stages'/],
    ['stages: [dev\n', /\.gto is not valid YAML/],
    ['- dev\n', /\.gto is not a valid GTO configuration/]
  ])('refuses %j', (text, message) => {
    expect(() => parseGtoConfig(text)).toThrow(message)
  })
})

describe('readAnnotation', () => {
  const annotationOf = (text: string, name: string) =>
    readAnnotation(text, name).annotation

  const yaml = `artifacts:
  churn:
    type: model
    path: models/churn.pkl
    desc: Predicts churn
  bare: {}
`
  it('reads type, path and desc', () => {
    expect(annotationOf(yaml, 'churn')).toEqual({
      type: 'model',
      path: 'models/churn.pkl',
      description: 'Predicts churn'
    })
  })

  it('gives empty fields for an entry without them', () => {
    expect(annotationOf(yaml, 'bare')).toEqual({
      type: '',
      path: '',
      description: ''
    })
  })

  it.each([
    ['no such artifact', yaml, 'other'],
    ['no artifacts section', 'stages: {}\n', 'churn'],
    ['artifacts not a map', 'artifacts: 5\n', 'churn'],
    ['broken YAML', 'artifacts: [\n', 'churn']
  ])('declares nothing for %s', (_what, text, name) => {
    expect(annotationOf(text, name)).toBeUndefined()
  })

  it('finds the file of a dir:name artifact', () => {
    expect(dvcYamlPath('')).toBe('dvc.yaml')
    expect(dvcYamlPath('cv')).toBe('cv/dvc.yaml')
    expect(dvcYamlPath('a/b/')).toBe('a/b/dvc.yaml')
  })
})
