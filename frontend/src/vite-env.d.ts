/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_LOCAL_RPC_URL?: string;
  readonly VITE_LOCAL_BLOCK_SECONDS?: string;
  readonly VITE_DEFAULT_CHAIN_ID?: string;
}
