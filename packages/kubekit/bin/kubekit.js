#!/usr/bin/env node
// A committed launcher, so npm links the `kubekit` bin at install time even
// before the package is built; the program itself is in dist/.
import "../dist/cli.js";
