#!/usr/bin/env node
import '../lib/cli/bin.js'
