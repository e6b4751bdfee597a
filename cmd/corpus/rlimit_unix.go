//go:build unix

package main

import "syscall"

// raiseFileLimit raises the soft limit on open files to the hard one (Go
// does this itself since 1.19; doing it here makes it explicit and gives
// the figure the connection cap is derived from) and returns the limit.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return 0, err
		}
	}
	return uint64(lim.Cur), nil
}
