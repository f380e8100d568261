package buildinfo

import (
	"testing"
	"time"
)

func TestBuildTime(t *testing.T) {
	saved := Date
	defer func() { Date = saved }()
	for _, tc := range []struct {
		stamp string
		want  time.Time
	}{
		{"2026-11-25T10:00:00Z", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)},
		{"2026-11-25T11:00:00+01:00", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	} {
		Date = tc.stamp
		if got := BuildTime(); !got.Equal(tc.want) {
			t.Errorf("BuildTime() with Date=%q = %v, want %v", tc.stamp, got, tc.want)
		}
	}
}
