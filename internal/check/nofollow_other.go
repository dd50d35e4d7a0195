//go:build !unix

package check

// noFollow is 0 where O_NOFOLLOW does not exist; O_EXCL still refuses an
// existing name there.
const noFollow = 0
