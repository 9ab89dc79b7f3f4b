#!/usr/bin/env node
// The command line as one bundle of its modules and dependencies (lib/bundle, made by `npm run
// build`): loading hundreds of small modules took longer than most builds from the cache.
import '../lib/bundle/bin.js'
