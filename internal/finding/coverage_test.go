package finding

import "testing"

func TestInconclusive(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"FW-UNKNOWN", true},
		{"AUTH-UNVERIFIABLE", true},
		{"AUTH-STOPPED-LOCKOUT-RISK", true},
		{"EXPOSE-UPNP-UNCHECKED", true},
		{"AUTH-COVERAGE", false},
		{"AUTH-DEFAULT-HTTP", false},
		{"FW-OUTDATED", false},
		{"UNKNOWN-THING", false},
	}
	for _, tt := range tests {
		if got := Inconclusive(tt.id); got != tt.want {
			t.Errorf("Inconclusive(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
