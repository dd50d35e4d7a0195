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

func TestWithoutCoverage(t *testing.T) {
	fs := []Finding{{ID: "AUTH-DEFAULT-HTTP"}, {ID: IDAuthCoverage}, {ID: "FW-OUTDATED"}, {ID: IDAuthCoverage}}
	got := WithoutCoverage(fs)
	if len(got) != 2 || got[0].ID != "AUTH-DEFAULT-HTTP" || got[1].ID != "FW-OUTDATED" {
		t.Errorf("WithoutCoverage = %+v, want the two problems in order", got)
	}
	if len(fs) != 4 || fs[1].ID != IDAuthCoverage {
		t.Errorf("WithoutCoverage changed its input: %+v", fs)
	}
}
