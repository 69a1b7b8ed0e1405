import { formatMicros } from '../src/money/index.js';
import { panelAmount } from './panel-service.js';
import type { OrderState, WorldState } from './world-model.js';

/**
 * A world state as JSON for GET /__admin/state: what tests compare a ledger
 * with. Panel amounts are text with 5 decimals, ad-network amounts text with
 * at least 2; `netChargeTotal` is Σ what the panel keeps of every order, so
 * balance = openingBalance + topUpTotal − netChargeTotal.
 */
export function worldStateView(state: WorldState, description: string) {
  const { panel, payelancer } = state;
  return {
    date: state.date,
    start: state.start,
    world: description,
    panel: {
      currency: panel.currency,
      refundMode: panel.refundMode,
      balance: panelAmount(panel.balance),
      openingBalance: panelAmount(panel.openingBalance),
      topUpTotal: panelAmount(panel.topUpTotal),
      netChargeTotal: panelAmount(panel.orders.reduce((sum, order) => sum + order.netCharge, 0n)),
      topUps: panel.topUps.map((topUp) => ({ on: topUp.on, amount: panelAmount(topUp.amount) })),
      orders: panel.orders.map(orderView),
    },
    payelancer: {
      publisher: {
        impressions: payelancer.publisher.impressions,
        clicks: payelancer.publisher.clicks,
        earnings: formatMicros(payelancer.publisher.amount),
      },
      advertiser: {
        impressions: payelancer.advertiser.impressions,
        clicks: payelancer.advertiser.clicks,
        spent: formatMicros(payelancer.advertiser.amount),
      },
      earningsDelta: formatMicros(payelancer.earningsDelta),
      spentDelta: formatMicros(payelancer.spentDelta),
      publisherDayKind: payelancer.publisherDayKind,
      conversions: payelancer.conversions.map((conversion) => ({
        campaign_id: conversion.campaignId,
        ad_id: conversion.adId,
        payout: formatMicros(conversion.payout),
        timestamp: conversion.timestamp,
      })),
    },
  };
}

export function orderView(order: OrderState) {
  return {
    id: order.id,
    service: order.service.id,
    serviceType: order.service.type,
    quantity: order.quantity,
    placedOn: order.placedOn,
    placedAt: order.placedAt,
    origin: order.origin,
    refundMode: order.refundMode,
    status: order.status,
    remains: order.remains,
    startCount: order.startCount,
    charge: panelAmount(order.charge),
    reportedCharge: panelAmount(order.reportedCharge),
    netCharge: panelAmount(order.netCharge),
    refunded: panelAmount(order.refunded),
  };
}
