export * from './kafka-broker';
export * from './wait-for';
