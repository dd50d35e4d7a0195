//go:build !unix

package scope

// nonBlock is 0 where O_NONBLOCK does not exist.
const nonBlock = 0
