// node --import ./test/support/ts-register.mjs src/github/server.ts
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
