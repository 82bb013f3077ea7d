// Entry for PulumiPlugin.yaml (runtime: nodejs): Pulumi's Node.js language host runs `node <this directory>`.
"use strict";
require("./pulumi-resource-tencentcloud-cert-renewal");
