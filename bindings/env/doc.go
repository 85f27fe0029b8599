// Package env installs the env global: a read-only view of the environment the script runs
// with (process environment after --env-file). Reading works; writing throws a TypeError.
// It cannot list variables: the VU exposes a lookup, not the whole environment.
package env
