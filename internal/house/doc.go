// Package house holds nvrmenu's import rules as a test, one row per
// package (house_test.go): the core imports no door, no door imports
// another, the vendor's service and the recorder's daemon share nothing but
// leaves, and the installer's tool builds for every system it ships for.
// It has no code of its own.
package house
