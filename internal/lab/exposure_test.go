package lab

import (
	"errors"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestEveryDevicePlantsExposure(t *testing.T) {
	id := regexp.MustCompile(`^EXPOSE-[A-Z0-9-]+$`)
	l := startLab(t, "127.78.61", Options{})
	for _, d := range l.Manifest().Devices {
		t.Run(d.Name, func(t *testing.T) {
			v, ok := d.Planted[PlantedExposure]
			if !ok {
				t.Fatalf("no %s plant: add the device to exposurePlants", PlantedExposure)
			}
			if v == "" {
				return // nothing risky runs on the device
			}
			ids := strings.Split(v, ",")
			if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
				t.Errorf("%q is not sorted and unique", v)
			}
			for _, s := range ids {
				if !id.MatchString(s) {
					t.Errorf("bad finding ID %q", s)
				}
			}
		})
	}
	for name := range exposurePlants {
		if !slices.ContainsFunc(l.Manifest().Devices, func(d DeviceSpec) bool { return d.Name == name }) {
			t.Errorf("exposure plant for unknown device %q", name)
		}
	}
}

func TestAmcrestP2PReadableWithoutCredentials(t *testing.T) {
	l := startLab(t, "127.78.62", Options{})
	for _, d := range l.Manifest().Devices {
		if d.Name != "amcrest-ipc" {
			continue
		}
		r := httpDo(t, "GET", "http://"+d.Address+":80/cgi-bin/configManager.cgi?action=getConfig&name=T2UServer", "")
		if r.status != 200 || !strings.Contains(r.body, "table.T2UServer.Enable=true") {
			t.Fatalf("T2UServer: %d %q", r.status, r.body)
		}
		return
	}
	t.Fatal("amcrest-ipc not in the lab")
}

// sshLogin tries user/password against addr and returns the methods the
// server offered to "none" and the login error.
func sshLogin(t *testing.T, addr, user, password string) ([]string, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var offered []string
	cfg := &ssh.ClientConfig{
		User:            user,
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), //nolint:gosec // lab test
		AuthCallback: func(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
			if offered == nil {
				offered = slices.Clone(ac.AllowedMethods)
				return ssh.Password(password), nil
			}
			return nil, errors.New("login refused")
		},
	}
	sc, chans, reqs, err := ssh.NewClientConn(c, addr, cfg)
	if err == nil {
		go ssh.DiscardRequests(reqs)
		go func() {
			for range chans {
			}
		}()
		client := ssh.NewClient(sc, chans, reqs)
		if _, serr := client.NewSession(); serr == nil {
			t.Errorf("the lab opened a session")
		}
		_ = client.Close()
	}
	return offered, err
}

func TestSSHOffersPasswordLogin(t *testing.T) {
	l := startLab(t, "127.78.63", Options{})
	n := 0
	for _, d := range l.Manifest().Devices {
		if !slices.ContainsFunc(d.Services, func(s ServiceSpec) bool { return s.Protocol == "ssh" }) {
			continue
		}
		n++
		t.Run(d.Name, func(t *testing.T) {
			addr := net.JoinHostPort(d.Address, "22")
			offered, err := sshLogin(t, addr, "nobody", "wrong")
			if err == nil || !slices.Equal(offered, []string{"password"}) {
				t.Errorf("wrong login: offered %v, err %v", offered, err)
			}
			if !strings.Contains(d.Planted[PlantedExposure], "EXPOSE-SSH-PASSWORD") {
				t.Errorf("SSH with password login not planted")
			}
		})
	}
	if n != 2 {
		t.Errorf("%d devices with SSH, want 2 (MikroTik, Ubiquiti)", n)
	}
}
