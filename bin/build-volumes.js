#!/usr/bin/env node
// CommonJS (bin/package.json), so that Node reads this file without its thread pool: an ES
// module entry is read through the pool, which starts it at its default size before any of
// our code runs.
'use strict'
const {availableParallelism} = require('node:os')

// libuv's thread pool (covers drawn, pages deflated, files read) is four threads by default;
// one a core does the same work, and each thread's allocator keeps the big buffers it freed (on
// two cores, four threads held some 60 MB more at the end of a build for no time saved). A
// value the user gives wins.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()))

// The command line as one bundle of its modules and dependencies (lib/bundle, made by `npm run
// build`): loading hundreds of small modules took longer than most builds from the cache.
import('../lib/bundle/bin.js')
