// Package costbench holds the cross-provider benchmark of issue 13: both providers against
// the emulator's --realistic cost model, each operation's time and requests next to the
// physical limit the model allows. It has no code outside its tests.
package costbench
