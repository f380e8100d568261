package main

import "nvrmenu/config"

// deviceModel is the model name the doors tell installers' tools. The
// sadp branch adds the device.model key; until it is merged, none.
func deviceModel(config.Config) string { return "" }
