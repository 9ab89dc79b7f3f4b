// The shape of src/, kept by a test: stages are folders in the order the data flows, a module
// imports only from its own stage or the stages below it (never upward), the import graph has
// no cycle (type-only imports included), the model imports nothing of ours, epub-gen-memory is
// known to one module, and every package src/ imports is a declared runtime dependency.
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {builtinModules} from 'node:module'
import path from 'node:path'
import {test} from 'node:test'
// TypeScript 5's syntax API (a package alias): TypeScript 7, which type-checks the code, is a
// native compiler whose JavaScript API is not yet stable.
import ts from 'typescript-api'
import {repoRoot} from './helpers/project.js'

const src = path.join(repoRoot, 'src')

/** Stages from the bottom up: a module may import its own stage and any listed before it. */
export const layers = ['model.ts', 'shared', 'project', 'review', 'book', 'render', 'check', 'output', 'import', 'build', 'preview', 'cli', 'index.ts']
/** Stages side by side, which must not import each other. */
const siblings = [['check', 'output']]

interface Import {
  from: string
  to: string
  typeOnly: boolean
}

function stageOf(file: string): string {
  return path.relative(src, file).split(path.sep)[0]!
}

function readImports(): {files: string[]; imports: Import[]; packages: Map<string, string[]>} {
  const files = (readdirSync(src, {recursive: true}) as string[]).filter((name) => name.endsWith('.ts')).map((name) => path.join(src, name))
  const imports: Import[] = []
  const packages = new Map<string, string[]>()
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const add = (specifier: string, typeOnly: boolean) => {
      if (specifier.startsWith('.')) {
        imports.push({from: file, to: path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')), typeOnly})
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!
        packages.set(name, [...(packages.get(name) ?? []), path.relative(repoRoot, file)])
      }
    }
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly)
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false)
      } else if (
        ts.isCallExpression(node) &&
        /(^|\.)(require\w*)(\.resolve)?$/i.test(node.expression.getText(source)) &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        // createRequire's require (the CommonJS internals render/epub/pack.ts reaches by name).
        add(node.arguments[0].text, false)
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text, true)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return {files, imports, packages}
}

const {files, imports, packages} = readImports()

test('every module lives in a stage folder (or is the model or the public API), and no stage imports upward or sideways', () => {
  const unknown = files.filter((file) => !layers.includes(stageOf(file)))
  assert.deepEqual(
    unknown.map((file) => path.relative(src, file)),
    [],
    'modules outside the stage folders'
  )
  const upward = imports.filter(({from, to}) => layers.indexOf(stageOf(to)) > layers.indexOf(stageOf(from)))
  assert.deepEqual(
    upward.map(({from, to}) => `${path.relative(src, from)} → ${path.relative(src, to)}`),
    [],
    'imports that run up the stages'
  )
  const sideways = imports.filter(({from, to}) =>
    siblings.some((pair) => pair.includes(stageOf(from)) && pair.includes(stageOf(to)) && stageOf(from) !== stageOf(to))
  )
  assert.deepEqual(
    sideways.map(({from, to}) => `${path.relative(src, from)} → ${path.relative(src, to)}`),
    [],
    'imports between sibling stages'
  )
})

test('the import graph has no cycle, type-only imports included', () => {
  const graph = new Map<string, string[]>()
  for (const {from, to} of imports) graph.set(from, [...(graph.get(from) ?? []), to])
  // Tarjan's strongly connected components: any with more than one module is a cycle.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const connect = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(path.relative(src, member))
      } while (member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort())
    }
  }
  for (const file of files) if (!index.has(file)) connect(file)
  assert.deepEqual(cycles, [])
})

test('the model imports nothing of ours; epub-gen-memory is imported by render/epub/pack.ts alone', () => {
  assert.deepEqual(
    imports.filter(({from}) => path.relative(src, from) === 'model.ts'),
    []
  )
  assert.deepEqual([...new Set(packages.get('epub-gen-memory'))], ['src/render/epub/pack.ts'])
})

test('every package src/ imports is a declared runtime dependency, and every runtime dependency is used', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
    devDependencies: Record<string, string>
  }
  const declared = new Set(Object.keys(manifest.dependencies))
  // Types of the syntax trees come from their @types packages.
  const used = new Set([...packages.keys()].map((name) => (['hast', 'mdast', 'unist', 'xast'].includes(name) ? `@types/${name}` : name)))
  assert.deepEqual([...used].filter((name) => !declared.has(name)).sort(), [], 'imported but not declared in dependencies')
  // The cover's font files are found by a path built from their names (render/cover/draw.ts).
  const loadedOtherwise = new Set(['@expo-google-fonts/eb-garamond'])
  assert.deepEqual([...declared].filter((name) => !used.has(name) && !loadedOtherwise.has(name)).sort(), [], 'declared but never imported by src/')
})
