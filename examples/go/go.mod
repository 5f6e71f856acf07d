module github.com/dstoken/dstoken/examples/go

go 1.24

require github.com/dstoken/dstoken/bindings/go v0.0.0

require github.com/tetratelabs/wazero v1.10.1 // indirect

replace github.com/dstoken/dstoken/bindings/go => ../../bindings/go
