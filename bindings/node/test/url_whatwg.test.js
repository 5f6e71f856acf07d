'use strict';
// Join-URL hosts checked against an independent implementation of the URL standard: Node's own
// WHATWG URL parser. Whatever dstoken accepts, a browser must parse to the same host, and that
// host must be a name, not an IPv4 address; whatever the parser reads as IPv4 (decimal, octal,
// hex, mixed) or refuses, dstoken must refuse.
const test = require('node:test');
const assert = require('node:assert/strict');
const { joinUrl, DstokenError } = require('..');

const HOSTS = [
  // accepted names
  'meet.example.com', 'Meet.Example.COM', 'a.0x1z', 'a.0xg', 'a.1a', 'x.example.0com', '0.example.com',
  'ab--cd.example', 'xn--bcher-kva.example', 'XN--BCHER-KVA.example', 'xn--mnchen-3ya.de',
  'meet.example.com:8443',
  // IPv4 in every spelling the URL standard reads
  '127.0.0.1', '127.0.0.0x1', '0x7f.0x0.0x0.0x1', '169.254.169.0xfe', '0x7f000001.0X7F000001',
  '1.2.3.4:443', '10.0.0.1', 'a.0177', '017700000001.com.1',
  // hosts browsers refuse
  'a.0x', 'b.0x10', 'b.0XaB', 'xn--a.com', 'meet.xn--.com', 'xn--999999999.example',
];

function whatwg(host) {
  try {
    return new URL(`https://${host}/r`).host;
  } catch {
    return null;
  }
}

const IPV4 = /^\d+\.\d+\.\d+\.\d+(:\d+)?$/;

for (const host of HOSTS) {
  test(`join URL host ${host} agrees with the WHATWG URL parser`, () => {
    let ours = null;
    try {
      ours = new URL(joinUrl(host, 'r', null, { allowPort: true })).host;
    } catch (e) {
      assert.ok(e instanceof DstokenError, `${host}: ${e}`); // a refusal, not a crash
    }
    const theirs = whatwg(host);
    if (theirs === null || IPV4.test(theirs)) {
      assert.equal(ours, null, `dstoken accepted ${host}, which a browser reads as ${theirs ?? 'invalid'}`);
    } else if (ours !== null) {
      assert.equal(ours, theirs, `dstoken and the URL parser disagree on ${host}`);
    }
  });
}

test('every name on the list is accepted (the oracle above is not vacuous)', () => {
  for (const host of HOSTS.slice(0, 12)) {
    assert.ok(whatwg(host) && !IPV4.test(whatwg(host)), host);
    assert.match(joinUrl(host, 'r', null, { allowPort: true }), /^https:\/\//, host);
  }
});
