#!/usr/bin/env node
// The Digital Samba docs' scenario in Node.js: a team, a room, user "John Smith" as moderator,
// valid for one hour (nbf back-dated 30 s). Prints the token and the room's join URL.
//
// Values come from DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM,
// DIGITALSAMBA_ROOM and DIGITALSAMBA_USER, falling back to demo values. `require('dstoken')`
// finds the installed package; from a clone this example uses bindings/node (with
// DSTOKEN_LIBRARY naming the library, as the package has no bundled copy before packing).
'use strict';
let dstoken;
try {
  dstoken = require('dstoken');
} catch {
  dstoken = require('../../bindings/node');
}
const { DstokenError, Key, mint, joinUrl } = dstoken;

const env = (name, fallback) => process.env[name] || fallback;
const teamId = env('DIGITALSAMBA_TEAM_ID', 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f');
const developerKey = env('DIGITALSAMBA_DEVELOPER_KEY', '0123456789abcdef0123456789abcdef');
const team = env('DIGITALSAMBA_TEAM', 'demo');
const room = env('DIGITALSAMBA_ROOM', 'daily-standup');
const user = env('DIGITALSAMBA_USER', 'John Smith');

try {
  const key = new Key(developerKey); // the developer key's raw (UTF-8) bytes
  const token = mint({ teamId, room, userName: user, role: 'moderator', expiresIn: 3600, notBeforeSkew: 30 }, key);
  key.close();
  console.log(token);
  console.log(joinUrl(team, room, token));
} catch (e) {
  if (!(e instanceof DstokenError)) throw e;
  console.error(`room_token: ${e.code}: ${e.message}`); // e.g. ERR_DSTOKEN_INVALID_ARGUMENT
  process.exitCode = 1;
}
