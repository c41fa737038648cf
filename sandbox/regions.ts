// Public Azure regions: names as ARM spells them, with their display names and geography, for the
// locations API. Regions missing here are still served, with their name as display name.

export interface RegionInfo {
  displayName: string;
  geography: string;
  geographyGroup: string;
  physicalLocation: string;
  latitude: string;
  longitude: string;
  pairedRegion?: string;
}

export const REGIONS: Readonly<Record<string, RegionInfo>> = {
  eastus: { displayName: 'East US', geography: 'United States', geographyGroup: 'US', physicalLocation: 'Virginia', latitude: '37.3719', longitude: '-79.8164', pairedRegion: 'westus' },
  eastus2: { displayName: 'East US 2', geography: 'United States', geographyGroup: 'US', physicalLocation: 'Virginia', latitude: '36.6681', longitude: '-78.3889', pairedRegion: 'centralus' },
  centralus: { displayName: 'Central US', geography: 'United States', geographyGroup: 'US', physicalLocation: 'Iowa', latitude: '41.5908', longitude: '-93.6208', pairedRegion: 'eastus2' },
  westus: { displayName: 'West US', geography: 'United States', geographyGroup: 'US', physicalLocation: 'California', latitude: '37.783', longitude: '-122.417', pairedRegion: 'eastus' },
  westus2: { displayName: 'West US 2', geography: 'United States', geographyGroup: 'US', physicalLocation: 'Washington', latitude: '47.233', longitude: '-119.852', pairedRegion: 'westcentralus' },
  westus3: { displayName: 'West US 3', geography: 'United States', geographyGroup: 'US', physicalLocation: 'Phoenix', latitude: '33.448376', longitude: '-112.074036', pairedRegion: 'eastus' },
  canadacentral: { displayName: 'Canada Central', geography: 'Canada', geographyGroup: 'Canada', physicalLocation: 'Toronto', latitude: '43.653', longitude: '-79.383', pairedRegion: 'canadaeast' },
  brazilsouth: { displayName: 'Brazil South', geography: 'Brazil', geographyGroup: 'South America', physicalLocation: 'Sao Paulo State', latitude: '-23.55', longitude: '-46.633', pairedRegion: 'southcentralus' },
  northeurope: { displayName: 'North Europe', geography: 'Europe', geographyGroup: 'Europe', physicalLocation: 'Ireland', latitude: '53.3478', longitude: '-6.2597', pairedRegion: 'westeurope' },
  westeurope: { displayName: 'West Europe', geography: 'Europe', geographyGroup: 'Europe', physicalLocation: 'Netherlands', latitude: '52.3667', longitude: '4.9', pairedRegion: 'northeurope' },
  uksouth: { displayName: 'UK South', geography: 'United Kingdom', geographyGroup: 'Europe', physicalLocation: 'London', latitude: '50.941', longitude: '-0.799', pairedRegion: 'ukwest' },
  francecentral: { displayName: 'France Central', geography: 'France', geographyGroup: 'Europe', physicalLocation: 'Paris', latitude: '46.3772', longitude: '2.3730', pairedRegion: 'francesouth' },
  germanywestcentral: { displayName: 'Germany West Central', geography: 'Germany', geographyGroup: 'Europe', physicalLocation: 'Frankfurt', latitude: '50.110924', longitude: '8.682127', pairedRegion: 'germanynorth' },
  swedencentral: { displayName: 'Sweden Central', geography: 'Sweden', geographyGroup: 'Europe', physicalLocation: 'Gävle', latitude: '60.67488', longitude: '17.14127', pairedRegion: 'swedensouth' },
  switzerlandnorth: { displayName: 'Switzerland North', geography: 'Switzerland', geographyGroup: 'Europe', physicalLocation: 'Zurich', latitude: '47.451542', longitude: '8.564572', pairedRegion: 'switzerlandwest' },
  norwayeast: { displayName: 'Norway East', geography: 'Norway', geographyGroup: 'Europe', physicalLocation: 'Norway', latitude: '59.913868', longitude: '10.752245', pairedRegion: 'norwaywest' },
  southeastasia: { displayName: 'Southeast Asia', geography: 'Asia Pacific', geographyGroup: 'Asia Pacific', physicalLocation: 'Singapore', latitude: '1.283', longitude: '103.833', pairedRegion: 'eastasia' },
  eastasia: { displayName: 'East Asia', geography: 'Asia Pacific', geographyGroup: 'Asia Pacific', physicalLocation: 'Hong Kong', latitude: '22.267', longitude: '114.188', pairedRegion: 'southeastasia' },
  japaneast: { displayName: 'Japan East', geography: 'Japan', geographyGroup: 'Asia Pacific', physicalLocation: 'Tokyo, Saitama', latitude: '35.68', longitude: '139.77', pairedRegion: 'japanwest' },
  koreacentral: { displayName: 'Korea Central', geography: 'Korea', geographyGroup: 'Asia Pacific', physicalLocation: 'Seoul', latitude: '37.5665', longitude: '126.9780', pairedRegion: 'koreasouth' },
  centralindia: { displayName: 'Central India', geography: 'India', geographyGroup: 'Asia Pacific', physicalLocation: 'Pune', latitude: '18.5822', longitude: '73.9197', pairedRegion: 'southindia' },
  australiaeast: { displayName: 'Australia East', geography: 'Australia', geographyGroup: 'Asia Pacific', physicalLocation: 'New South Wales', latitude: '-33.86', longitude: '151.2094', pairedRegion: 'australiasoutheast' },
  southafricanorth: { displayName: 'South Africa North', geography: 'South Africa', geographyGroup: 'Africa', physicalLocation: 'Johannesburg', latitude: '-25.73134', longitude: '28.21837', pairedRegion: 'southafricawest' },
  uaenorth: { displayName: 'UAE North', geography: 'United Arab Emirates', geographyGroup: 'Middle East', physicalLocation: 'Dubai', latitude: '25.266666', longitude: '55.316666', pairedRegion: 'uaecentral' },
};

/** "(Europe) West Europe", as ARM's regionalDisplayName. */
export function regionalDisplayName(info: RegionInfo): string {
  return `(${info.geographyGroup}) ${info.displayName}`;
}
