export * from './device-gateway.port';
export { AzureIotHubDeviceGateway } from './azure-iothub/azure-iothub-device-gateway.adapter';
export type { AzureIotHubDeviceGatewayOptions } from './azure-iothub/azure-iothub-device-gateway.adapter';
export {
  FLEETJOBS_TAG,
  PROPERTIES_TAG,
  RESERVED_TAG_NAMES,
  deviceTwinTags,
  hubDeviceFromTwinTags,
} from './azure-iothub/twin-tag.layout';
export { createHubAgent, hostNameHasPort, installHubAgent } from './azure-iothub/hub.agent';
