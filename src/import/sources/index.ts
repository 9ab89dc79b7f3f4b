// The platforms `import` reads, by the name the command takes.
import type {SourceName, SourceReader} from '../types.js'
import {letterboxd} from './letterboxd.js'
import {medium} from './medium.js'
import {substack} from './substack.js'
import {wordpress} from './wordpress.js'

export const readers: Readonly<Record<SourceName, SourceReader>> = {medium, substack, letterboxd, wordpress}

export const sourceNames = Object.keys(readers) as SourceName[]
