/** The config hook of ./solidity-test-build.ts: equal compiler overrides become one object. */
import type { ConfigHooks } from "hardhat/types/hooks";
import type { SolidityCompilerConfig } from "hardhat/types/config";

export default (): Promise<Partial<ConfigHooks>> =>
  Promise.resolve({
    async resolveUserConfig(userConfig, resolveConfigurationVariable, next) {
      const resolved = await next(userConfig, resolveConfigurationVariable);
      for (const profile of Object.values(resolved.solidity.profiles)) {
        const byContent = new Map<string, SolidityCompilerConfig>();
        for (const [sourceName, config] of Object.entries(profile.overrides)) {
          const key = JSON.stringify(config);
          const shared = byContent.get(key) ?? config;
          byContent.set(key, shared);
          profile.overrides[sourceName] = shared;
        }
      }
      return resolved;
    },
  });
