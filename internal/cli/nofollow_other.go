//go:build !unix

package cli

// noFollow is 0 where O_NOFOLLOW does not exist.
const noFollow = 0
