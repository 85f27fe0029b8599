// Package secret is the script's secret() global: the opaque object that stands for a
// credential in scripts, and the lookup other bindings (mail options, fetch bodies and
// headers) use to recognise one. It never lets the value reach output unless revealed.
package secret
