// Package concurrencytests turns the workbook around: the code is correct, and you write
// the tests that prove it. The course's lessons show wrong programs and say why they
// fail; here you write the proof, and the tool checks it against wrong versions of the
// same code that it holds back.
//
// You write three test files, one an exercise:
//
//   - buffer_test.go tests Buffer (buffer.go): a bounded first-in, first-out buffer on
//     sync.Cond, with Put, Get and Close.
//   - limiter_test.go tests Limiter (limiter.go): Wait lets at most perSecond calls start
//     per second, one at a time (burst 1), and gives up when its context is done.
//   - barrier_test.go tests Barrier (barrier.go): a cyclic barrier for n goroutines.
//
// Each doc comment states the exact contract your tests must check. Your tests pass
// when they pass on the code as it is, under -race, and fail on every wrong version the
// tool holds back (a mutant): a Get woken that does not check the buffer again, a Close
// that wakes only one waiter, a limiter that lets a burst through, a barrier that
// releases early or only once, and more. They must not read or wait on the real clock
// outside a synctest bubble, call t.Fatal or require from a goroutine they start, or
// look at how the program is made (stacks, files, private fields) instead of what it
// does; and they must finish within the time limit whatever the code does: guard.Bubble
// and guard.Run turn a hang into a failure.
//
// The rules: edit only the test files named above; the implementations, main_test.go
// and the benchmarks stay as they are. Run the tests with -race.
package concurrencytests
