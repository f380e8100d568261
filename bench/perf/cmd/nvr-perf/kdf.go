package main

import (
	"runtime/debug"
	"time"

	"nvrmenu/bench/perf"
	"nvrmenu/config"
	"nvrmenu/recovery"
)

// kdfFigures are argon2id's costs on this machine.
type kdfFigures struct {
	// Verification at the default cost and at the cost the device's
	// calibration picked (one derivation each: a verification is one).
	defaultParams, deviceParams recovery.KDFParams
	defaultTime, deviceTime     perf.Summary
	// The same at the default cost with the memory kept between runs, as
	// `go test -bench` measures it: the difference is page faults.
	defaultWarm perf.Summary
	// What calibration picks when run again, and how long it takes.
	picks     []recovery.KDFParams
	calibrate perf.Summary
}

// kdfCosts times argon2id in this process, with the recovery core's own
// functions: runs derivations at each cost, calibrations times.
func kdfCosts(device recovery.KDFParams, runs, calibrations int) *kdfFigures {
	k := &kdfFigures{defaultParams: recovery.DefaultKDFParams, deviceParams: device}
	measure := func(p recovery.KDFParams) perf.Summary {
		var ds []time.Duration
		for range runs {
			ds = append(ds, recovery.MeasureKDF(p))
			debug.FreeOSMemory() // as the core does after each
		}
		return perf.Summarize(ds)
	}
	k.defaultTime = measure(k.defaultParams)
	var warm []time.Duration
	recovery.MeasureKDF(k.defaultParams)
	for range runs {
		warm = append(warm, recovery.MeasureKDF(k.defaultParams))
	}
	k.defaultWarm = perf.Summarize(warm)
	debug.FreeOSMemory()
	k.deviceTime = measure(device)
	cfg := config.Default()
	var cs []time.Duration
	for range calibrations {
		start := time.Now()
		p := recovery.CalibrateKDF(uint32(cfg.KDF.MemoryCapMiB)*1024, cfg.KDF.TargetTime, recovery.MeasureKDF)
		cs = append(cs, time.Since(start))
		k.picks = append(k.picks, p)
		debug.FreeOSMemory()
	}
	k.calibrate = perf.Summarize(cs)
	return k
}
