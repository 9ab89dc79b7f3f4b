// src/shared/visit-parents.ts stands in for unist-util-visit-parents in the command line's
// bundle: on random trees, tests, visitors and the changes visitors make to the tree, it must
// visit the same nodes with the same ancestors and indexes, in the same order, change the
// tree the same way and throw the same errors.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import fc from 'fast-check'
import type {Node, Parent} from 'unist'
import {visitParents as theirs} from 'unist-util-visit-parents'
import {visitParents as ours} from '../src/shared/visit-parents.js'

interface TestNode extends Node {
  id: number
  children?: TestNode[]
}

const types = ['a', 'b', 'c'] as const
const treeShape: fc.Memo<{type: string; children?: unknown[]}> = fc.memo((depth) =>
  depth <= 1
    ? fc.record({type: fc.constantFrom(...types)})
    : fc.oneof(
        fc.record({type: fc.constantFrom(...types)}),
        fc.record({type: fc.constantFrom(...types), children: fc.array(treeShape(depth - 1), {maxLength: 4})})
      )
)

function number(shape: {type: string; children?: unknown[]}, next = {id: 0}): TestNode {
  const node: TestNode = {type: shape.type, id: next.id++}
  if (shape.children) node.children = shape.children.map((child) => number(child as {type: string; children?: unknown[]}, next))
  return node
}

type Step = 'continue' | 'skip' | 'exit' | 'nothing' | 'remove' | 'insert' | {index: number} | {tuple: ['skip' | 'exit' | 'continue', number]}
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>('continue', 'skip', 'exit', 'nothing', 'remove', 'insert'),
  fc.nat({max: 4}).map((index) => ({index})),
  fc.tuple(fc.constantFrom('skip', 'exit', 'continue') as fc.Arbitrary<'skip' | 'exit' | 'continue'>, fc.nat({max: 4})).map((tuple) => ({tuple}))
)

function run(
  visit: typeof ours,
  tree: TestNode,
  plan: Step[],
  testArg: unknown,
  shape: 'enter' | 'both' | 'exit',
  reverse: boolean
): {log: string[]; tree: string; error?: string} {
  const log: string[] = []
  let at = 0
  let made = 1000
  const visitor = (where: string) => (node: Node, ancestors: Parent[], index: number | undefined) => {
    log.push(`${where} ${(node as TestNode).id} [${ancestors.map((a) => (a as TestNode).id).join(',')}] ${index}`)
    const planned = at < plan.length ? plan[at++]! : 'nothing'
    const parent = ancestors[ancestors.length - 1]
    if (planned === 'continue') return true
    if (planned === 'skip') return where === 'exit' ? undefined : 'skip'
    if (planned === 'exit') return false
    if (planned === 'nothing') return undefined
    if (planned === 'remove') {
      if (!parent || index === undefined) return undefined
      parent.children.splice(index, 1)
      return index
    }
    if (planned === 'insert') {
      if (!parent || index === undefined) return undefined
      parent.children.splice(index + 1, 0, {type: 'b', id: made++} as TestNode)
      return index + 2
    }
    if ('index' in planned) return planned.index
    const [action, index2] = planned.tuple
    return [action === 'skip' ? (where === 'exit' ? true : 'skip') : action === 'exit' ? false : true, index2] as never
  }
  const visitors = shape === 'enter' ? visitor('enter') : shape === 'exit' ? {exit: visitor('exit')} : {enter: visitor('enter'), exit: visitor('exit')}
  try {
    if (testArg === undefined) (visit as (...args: unknown[]) => void)(tree, visitors, reverse)
    else (visit as (...args: unknown[]) => void)(tree, testArg, visitors, reverse)
  } catch (error) {
    return {log, tree: JSON.stringify(tree), error: (error as Error).message}
  }
  return {log, tree: JSON.stringify(tree)}
}

const testArgs = [undefined, 'a', ['a', 'c'], (node: Node) => (node as TestNode).id % 2 === 0, {type: 'b'}]

test('our tree walk visits, changes and stops exactly as unist-util-visit-parents does', () => {
  fc.assert(
    fc.property(
      treeShape(5),
      fc.array(step, {maxLength: 30}),
      fc.nat({max: testArgs.length - 1}),
      fc.constantFrom<'enter' | 'both' | 'exit'>('enter', 'both', 'exit'),
      fc.boolean(),
      (shape, plan, which, visitorShape, reverse) => {
        const a = run(theirs as typeof ours, number(shape), plan, testArgs[which], visitorShape, reverse)
        const b = run(ours, number(shape), plan, testArgs[which], visitorShape, reverse)
        assert.deepEqual(b, a)
      }
    ),
    {numRuns: 3000, seed: 20261202}
  )
})

test('our tree walk refuses what the package refuses, with the same words', () => {
  for (const args of [
    [null, () => {}],
    [{type: 'a'}, 5],
    [{type: 'a'}, {enter: 5, exit: () => {}}],
    [{type: 'a'}, {enter: () => {}}]
  ]) {
    const message = (walk: typeof ours) => {
      try {
        ;(walk as (...values: unknown[]) => void)(...args)
        return 'no error'
      } catch (error) {
        return (error as Error).message
      }
    }
    assert.equal(message(ours), message(theirs as typeof ours))
    assert.notEqual(message(ours), 'no error')
  }
})
