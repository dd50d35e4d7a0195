package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ruleTag marks every iptables rule the benchmarks add, so that a rule
// left behind by a killed run can be found with `iptables -S | grep`.
const ruleTag = "camwarden-bench"

// netfilter adds iptables rules and an nfqdelay process and undoes exactly
// what it added.
type netfilter struct {
	rules [][]string // iptables argument lists, as added with -I/-A
	delay *exec.Cmd
}

func iptables(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "iptables", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("iptables %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// add runs `iptables -t table op chain spec... -m comment --comment tag -j target`.
func (n *netfilter) add(ctx context.Context, table, op, chain string, spec ...string) error {
	args := append([]string{"-t", table, op, chain}, spec...)
	if err := iptables(ctx, args...); err != nil {
		return err
	}
	n.rules = append(n.rules, args)
	return nil
}

// drop makes cidr silent (INPUT DROP) except for the live addresses.
func (n *netfilter) drop(ctx context.Context, cidr string, live []string) error {
	if err := n.add(ctx, "filter", "-I", "INPUT", "-d", cidr, "-m", "comment", "--comment", ruleTag, "-j", "DROP"); err != nil {
		return err
	}
	for _, a := range live {
		if err := n.add(ctx, "filter", "-I", "INPUT", "-d", a+"/32", "-m", "comment", "--comment", ruleTag, "-j", "ACCEPT"); err != nil {
			return err
		}
	}
	return nil
}

// delayTo delays packets sent to each address by minMS..maxMS with the
// NFQUEUE recipe of /work/shared/peers (README §9): nfqdelay, built from
// the shared nfqdelay.c into a temporary directory, holds each packet.
func (n *netfilter) delayTo(ctx context.Context, tmp string, queue, minMS, maxMS int, addrs []string) error {
	src := getenv("NFQDELAY_SRC", "/work/shared/peers/nfqdelay.c")
	bin := filepath.Join(tmp, "nfqdelay")
	if out, err := exec.CommandContext(ctx, "gcc", "-O2", "-o", bin, src, "-lnetfilter_queue", "-lnfnetlink").CombinedOutput(); err != nil {
		return fmt.Errorf("build nfqdelay (apt-get install gcc libnetfilter-queue-dev): %w: %s", err, out)
	}
	mid, jit := (minMS+maxMS)/2, (maxMS-minMS)/2
	n.delay = exec.Command(bin, "-q", fmt.Sprint(queue), "-d", fmt.Sprint(mid), "-j", fmt.Sprint(jit))
	n.delay.Stderr = os.Stderr
	if err := n.delay.Start(); err != nil {
		return fmt.Errorf("start nfqdelay: %w", err)
	}
	for _, a := range addrs {
		if err := n.add(ctx, "mangle", "-A", "OUTPUT", "-d", a+"/32", "-m", "comment", "--comment", ruleTag,
			"-j", "NFQUEUE", "--queue-num", fmt.Sprint(queue), "--queue-bypass"); err != nil {
			return err
		}
	}
	return nil
}

// undo deletes the rules in reverse order and stops nfqdelay. It takes no
// context on purpose: it must still run after an interrupt.
func (n *netfilter) undo() error {
	var errs []string
	for i := len(n.rules) - 1; i >= 0; i-- {
		args := append([]string{}, n.rules[i]...)
		args[2] = "-D"
		if out, err := exec.Command("iptables", args...).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Sprintf("iptables %s: %v: %s", strings.Join(args, " "), err, out))
		}
	}
	n.rules = nil
	if err := removeTagged(); err != nil {
		errs = append(errs, err.Error())
	}
	if n.delay != nil && n.delay.Process != nil {
		_ = n.delay.Process.Signal(os.Interrupt)
		_ = n.delay.Wait()
		n.delay = nil
	}
	if len(errs) > 0 {
		return fmt.Errorf("undo netfilter rules: %s", strings.Join(errs, "; "))
	}
	return nil
}

// removeTagged deletes every rule carrying ruleTag: leftovers of a run that
// was killed before its deferred undo (go test's -timeout kills without
// running defers). The benchmarks call it before adding rules and in undo.
func removeTagged() error {
	var errs []string
	for _, table := range []string{"filter", "mangle"} {
		out, err := exec.Command("iptables", "-t", table, "-S").Output()
		if err != nil {
			return fmt.Errorf("iptables -t %s -S: %w", table, err)
		}
		for line := range strings.SplitSeq(string(out), "\n") {
			if !strings.HasPrefix(line, "-A ") || !strings.Contains(line, "--comment "+ruleTag) {
				continue
			}
			// iptables -S prints rules in the form -A takes; our rules have no quoted words.
			args := append([]string{"-t", table, "-D"}, strings.Fields(line)[1:]...)
			if o, err := exec.Command("iptables", args...).CombinedOutput(); err != nil {
				errs = append(errs, fmt.Sprintf("iptables %s: %v: %s", strings.Join(args, " "), err, o))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("remove %s rules: %s", ruleTag, strings.Join(errs, "; "))
	}
	return nil
}
