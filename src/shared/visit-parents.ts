// The tree walk of unist-util-visit-parents (v6: a test, an enter visitor or {enter, exit},
// CONTINUE / EXIT / SKIP / an index to go on from, preorder or reverse), as the command line's
// bundle uses it in place of the package (esbuild's alias, package.json `bundle`). The package
// names the function it makes for each node after the node, for stack traces, with
// Object.defineProperty: a quarter of the walking time of every pass of every review (13 s of
// the 89 s a worker spent on 10,000 reviews). This walk is the same without the names;
// test/visit-parents.test.ts holds it to the package on random trees and visitors. Pure.
import {convert, type Test} from 'unist-util-is'
import type {Node, Parent} from 'unist'

export const CONTINUE = true
export const EXIT = false
export const SKIP = 'skip'

type Action = typeof CONTINUE | typeof EXIT | typeof SKIP
type ActionTuple = [(Action | null | undefined | void)?, (number | null | undefined)?]
type VisitorResult = Action | number | ActionTuple | null | undefined | void
type Visitor = (node: Node, ancestors: Parent[], index: number | undefined) => VisitorResult
interface Visitors {
  enter?: Visitor | null | undefined
  exit: Visitor
}

const empty: ActionTuple = []

export function visitParents(
  tree: Node,
  testOrVisitors: Test | Visitor | Visitors,
  visitorsOrReverse?: Visitor | Visitors | boolean | null,
  reverse?: boolean | null
): void {
  if (!tree || typeof tree !== 'object') throw new Error('Unexpected value `' + tree + '` for `tree`, expected node')
  let preorder = true
  let check: Test
  let visitors: unknown
  if (typeof visitorsOrReverse === 'function' || (visitorsOrReverse && typeof visitorsOrReverse === 'object')) {
    check = testOrVisitors as Test
    visitors = visitorsOrReverse
    if (reverse) preorder = false
  } else {
    visitors = testOrVisitors
    if (visitorsOrReverse) preorder = false
  }
  let enter: Visitor | undefined
  let exit: Visitor | undefined
  if (typeof visitors === 'function') {
    enter = visitors as Visitor
  } else if (visitors && typeof visitors === 'object') {
    const given = visitors as {enter?: unknown; exit?: unknown}
    if (given.enter !== null && given.enter !== undefined) {
      if (typeof given.enter !== 'function') throw new Error('Unexpected value `' + given.enter + '` for `visitors.enter`, expected optional visitor')
      enter = given.enter as Visitor
    }
    if (typeof given.exit !== 'function')
      throw new Error('Unexpected value `' + given.exit + '` for `visitors.exit`, expected visitor (pass a visitor directly if you only want an enter visitor)')
    exit = given.exit as Visitor
  } else {
    throw new Error('Unexpected value `' + visitors + '` for `enter` or `visitors`, expected visitor or object with visitors')
  }
  const is = convert(check)
  const step = preorder ? 1 : -1

  const visit = (node: Node, index: number | undefined, parents: Parent[]): ActionTuple => {
    const matches = !check || is(node, index, parents[parents.length - 1] || undefined)
    let result = empty
    if (enter && matches) {
      result = toResult(enter(node, parents, index))
      if (result[0] === EXIT) return result
    }
    const parent = node as Parent
    if ('children' in node && parent.children && result[0] !== SKIP) {
      let offset = (preorder ? -1 : parent.children.length) + step
      const grandparents = [...parents, parent]
      while (offset > -1 && offset < parent.children.length) {
        const subresult = visit(parent.children[offset]!, offset, grandparents)
        if (subresult[0] === EXIT) return subresult
        offset = typeof subresult[1] === 'number' ? subresult[1] : offset + step
      }
    }
    if (exit && matches) {
      const exitResult = toResult(exit(node, parents, index))
      if (exitResult[0] === SKIP) throw new Error('Unexpected value `' + exitResult[0] + '` from `exit`, expected `CONTINUE`, `EXIT`, index, or nothing')
      if (exitResult[0] === EXIT || typeof exitResult[1] === 'number') return exitResult
    }
    return result
  }
  visit(tree, undefined, [])
}

function toResult(value: VisitorResult): ActionTuple {
  if (Array.isArray(value)) return value as ActionTuple
  if (typeof value === 'number') return [CONTINUE, value]
  return value === null || value === undefined ? empty : [value]
}
