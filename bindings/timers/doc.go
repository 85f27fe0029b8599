// Package timers installs setTimeout, setInterval, their clears and sleep(duration) ('2s',
// 500) on top of an event loop's timers.
// It schedules through the Scheduler it is given and never owns a loop itself.
package timers
