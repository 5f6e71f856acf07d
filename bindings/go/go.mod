module github.com/dstoken/dstoken/bindings/go

go 1.24

require github.com/golang-jwt/jwt/v5 v5.3.1

require github.com/tetratelabs/wazero v1.10.1
