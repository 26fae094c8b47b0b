// Package goroutines is the course's first threading lesson in Go: the seed's
// threading.Thread(target=f, args=...).start(), join(), is_alive() and daemon threads,
// done with the go statement, sync.WaitGroup and a done channel.
//
// You build four things, one file each:
//
//   - join.go (fix): LoadAll starts a goroutine per image and returns without waiting
//     for them, Python's threads started and never joined. Make it wait for them all.
//   - daemon.go (fix): Main is the seed's first program (one image loads in a goroutine
//     while main loads another). It returns, and the program ends, before the goroutine
//     has finished: a Go program does not wait for its goroutines.
//   - inorder.go (implement): LoadImages loads every image at the same time and returns the
//     images in the order of the names, whatever order the loads finish in.
//   - task.go (implement): Task gives a goroutine what Python's Thread has: a name, Join
//     and IsAlive, through a channel its goroutine closes when it is done.
//
// The rules: change only the files above, never a _test.go file. Every goroutine you
// start must have finished, or be sure to finish, when your function returns. Run the
// tests with -race: go test -race ./exercises/01_goroutines. No test ever waits for real
// time: the loads "take" seconds of fake time (testing/synctest), so the tests finish
// immediately, and a goroutine stuck for good fails its test with a picture of where it is.
package goroutines
