console.log('mixite');
